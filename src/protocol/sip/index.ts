/** Public API of the SIP wire layer (RFC 3261, RFC 4475, RFC 5118). */
export * from './message.ts';
export * from './header-names.ts';
export * from './errors.ts';
export * from './params.ts';
export * from './host.ts';
export * from './uri.ts';
export * from './via.ts';
export * from './cseq.ts';
export * from './name-addr.ts';
export * from './parser.ts';
export * from './serializer.ts';
export * from './framing.ts';
export * from './validate.ts';
export * from './response.ts';
export * from './reason-phrases.ts';
