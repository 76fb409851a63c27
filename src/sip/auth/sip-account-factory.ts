/**
 * Build a SipAccount from a password: only the two HA1 hashes are kept
 * (H(username:realm:password) with MD5 and SHA-256), never the password.
 */
import { computeHa1 } from '../../protocol/sip/digest.ts';
import type { SipAccount } from '../ports.ts';

export interface NewSipAccount {
  username: string;
  realm: string;
  password: string;
  createdAt: Date;
  displayName?: string;
  enabled?: boolean;
}

export function createSipAccount(input: NewSipAccount): SipAccount {
  const account: SipAccount = {
    username: input.username,
    realm: input.realm,
    ha1Md5: computeHa1('MD5', input.username, input.realm, input.password),
    ha1Sha256: computeHa1('SHA-256', input.username, input.realm, input.password),
    enabled: input.enabled ?? true,
    createdAt: input.createdAt,
  };
  if (input.displayName !== undefined) account.displayName = input.displayName;
  return account;
}
