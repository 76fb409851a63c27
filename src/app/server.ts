/**
 * The composition root: opens the stores, creates the logger, seeds a fresh
 * database, starts signalling (signalling.ts) and the HTTP API, writes the
 * files the CLI reads, and takes it all down again in reverse order.
 */
import { mkdirSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { buildHttpApi } from '../api/http-api.ts';
import { callRoutes } from '../api/routes/call-routes.ts';
import { serviceNumbersOf, webphoneRoutes } from '../api/routes/webphone-routes.ts';
import { DEFAULT_WEB_ROOT } from '../api/web-static.ts';
import { systemClock, type Clock } from '../shared/clock.ts';
import { CachedRegistrationStore, CachedSipAccountStore } from '../store/cached-stores.ts';
import { openStores, type Stores } from '../store/stores.ts';
import { isLoopback, type HotlineConfig } from './config.ts';
import { adminPasswordFile, ensureAdminToken, localUrl, removeServerInfo, writeSecret, writeServerInfo } from './data-files.ts';
import { seedFirstStart, warnAboutDemoPasswords } from './demo-seed.ts';
import { createProcessLogger, type ProcessLogger } from './logging.ts';
import { JsonlSecurityEventStore } from './security-log.ts';
import { VERSION } from './version.ts';
import { startSignalling, type Signalling } from './signalling.ts';
import { startAcd } from './acd-setup.ts';
import { startRecords } from './records-setup.ts';
import { ivrRoutes, startIvr } from './ivr-setup.ts';
import { systemRoutes } from './system-routes.ts';
import { eventFeed } from './event-feed.ts';
import { crmRoutes } from '../api/routes/crm-routes.ts';
import { AgentAdmin } from '../api/routes/agent-admin.ts';
import { agentAdminRoutes } from '../api/routes/agent-admin-routes.ts';
import { OrgCatalog } from '../acd/service/index.ts';
import { OrgAdmin } from '../api/routes/org-admin.ts';
import { orgAdminRoutes } from '../api/routes/org-admin-routes.ts';
import { AuditRecorder } from '../api/routes/audit-recorder.ts';
import { taskNoticeRoutes } from '../api/routes/task-notice-routes.ts';
import { DeskBoard } from '../messaging/desk-board.ts';
import { QueueAdmin } from '../api/routes/queue-admin.ts';
import { RoleAdmin } from '../api/routes/role-admin.ts';
import { roleAdminRoutes } from '../api/routes/role-admin-routes.ts';
import { queueAdminRoutes } from '../api/routes/queue-admin-routes.ts';
import { hoursAdminRoutes } from '../api/routes/hours-admin-routes.ts';
import { IvrEntryAdmin, ivrEntryAdminRoutes } from './ivr-entry-admin.ts';
import { listenHttps } from './https-listener.ts';
import { TrunkAdmin } from '../api/routes/trunk-admin.ts';
import { trunkAdminRoutes } from '../api/routes/trunk-admin-routes.ts';


export interface RunningServer {
  config: HotlineConfig;
  url: string;
  httpPort: number;
  stores: Stores;
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  /** Where the one-time admin password notice goes (default: stdout). */
  announce?: (line: string) => void;
  stdout?: NodeJS.WritableStream;
}

export async function startServer(config: HotlineConfig, opts: StartOptions = {}): Promise<RunningServer> {
  const clock = opts.clock ?? systemClock;
  const startedAt = clock.now();
  mkdirSync(config.dataDir, { recursive: true, mode: 0o750 });
  const plog: ProcessLogger = createProcessLogger(config.dataDir, config.logLevel, opts.stdout);
  const log = plog.logger;
  const cleanup: (() => Promise<void> | void)[] = [() => plog.flush()];
  const closeAll = async () => {
    for (const step of cleanup.splice(0).reverse()) {
      try {
        await step();
      } catch (err) {
        log.error({ err }, 'error during shutdown');
      }
    }
  };
  try {
    const opened = await openStores(config.database);
    // The registrar's hot path reads through caches (src/store/cached-stores.ts); the API shares them.
    const stores: Stores = {
      ...opened,
      sipAccounts: new CachedSipAccountStore(opened.sipAccounts, clock),
      registrations: new CachedRegistrationStore(opened.registrations),
    };
    cleanup.push(() => stores.close());
    if (stores.database.applied.length) log.info({ migrations: stores.database.applied, dialect: stores.database.dialect }, 'database migrated');
    const securityEvents = new JsonlSecurityEventStore(stores.securityEvents, config.dataDir);
    cleanup.push(() => securityEvents.close());

    const seed = await seedFirstStart(stores, { realm: config.realm, demo: config.demo, now: new Date(clock.now()) });
    if (seed.adminPassword) {
      writeSecret(adminPasswordFile(config.dataDir), `${seed.adminPassword}\n`);
      (opts.announce ?? ((l) => console.log(l)))(`hotline: first start: web user "admin" has password ${seed.adminPassword} (also in ${adminPasswordFile(config.dataDir)})`);
      log.info({ demo: config.demo }, 'seeded a new database');
    }
    await warnAboutDemoPasswords(stores, config.realm, config.host, isLoopback(config.host), log);
    await ensureAdminToken(stores, config.dataDir, new Date(clock.now()));

    // Before the switch takes calls: recovery closes the calls the previous process left live.
    const records = await startRecords({ dataDir: config.dataDir, stores, clock, logger: log.child({ component: 'records' }) });
    cleanup.push(() => records.close());
    const signalling: Signalling = await startSignalling({
      config,
      clock,
      logger: log.child({ component: 'sip' }),
      stores: { sipAccounts: stores.sipAccounts, registrations: stores.registrations, securityEvents, bans: stores.bans },
    });
    cleanup.push(() => signalling.stop());
    const acd = startAcd(config, signalling.switch, clock, log.child({ component: 'acd' }));
    cleanup.push(() => acd.stop());
    records.attach(signalling.switch.runtime, acd);
    // ADM-1, ADM-2: agents administered live; what administrators set is re-applied over the ACD configuration.
    // ADM-1: branches, agent groups, customer classes (routed by their level), ticket types; a branch or group in use is not removed.
    const org: OrgCatalog = new OrgCatalog({ agentsInBranch: (b: string): string[] => agentAdmin.agentsInBranch(b), agentsInGroup: (g: string): string[] => agentAdmin.agentsInGroup(g), queuesOfGroup: (g) => acd.settings.queueList().filter((q) => q.groups?.includes(g)).map((q) => q.id) });
    const orgAdmin = new OrgAdmin(org, stores.meta, acd);
    const restoredOrg = await orgAdmin.restore();
    if (restoredOrg.skipped.length) log.warn(restoredOrg, 'organisation catalog restored with skips');
    // ADM-1: custom roles narrowing the built-in ones, and which web user has one (meta admin.roles, admin.roleAssignments).
    const roles = new RoleAdmin(stores.users, stores.meta);
    const restoredRoles = await roles.restore();
    if (restoredRoles.roles.length || restoredRoles.skipped.length) log.info(restoredRoles, 'custom roles restored');
    const agentAdmin = new AgentAdmin({ acd, users: stores.users, sipAccounts: stores.sipAccounts, settings: stores.meta, realm: config.realm, clock, org, roles });
    const restoredAgents = await agentAdmin.restore();
    if (restoredAgents.restored.length || restoredAgents.skipped.length) log.info(restoredAgents, 'administered agents restored');
    signalling.switch.runtime.setDialOutPolicy((id) => agentAdmin.mayDialOut(id)); // ADM-1 may-dial-out
    // ADM-3: the operation log (written by the API's audit hook); SUP-4: the supervisors' tasks and notices to agents.
    const audit = new AuditRecorder(stores.audit, log.child({ component: 'audit' }));
    cleanup.push(() => audit.flushed());
    const board = new DeskBoard({ tasks: stores.tasks, notices: stores.notices, clock, agents: () => acd.control.agents().map((a) => ({ id: a.id, extension: a.extension, groups: (acd.agentConfig(a.id)?.groups ?? []).map((g) => g.group) })), knownGroups: () => org.groups().map((g) => g.id) });
    // ADM-2: queues, business hours and entry points administered live; what administrators set is re-applied over the ACD configuration.
    const queueAdmin = new QueueAdmin(acd, stores.meta);
    const restoredQueues = await queueAdmin.restore();
    if (restoredQueues.queues.length || restoredQueues.entryPoints.length || restoredQueues.skipped.length) log.info(restoredQueues, 'administered queues and hours restored');
    const ivr = startIvr({
      dataDir: config.dataDir,
      sw: signalling.switch,
      queueIds: acd.control.queues().map((q) => q.id),
      clock,
      logger: log.child({ component: 'ivr' }),
      surveyEntryPoints: config.surveyEntryPoints,
    });
    cleanup.push(() => ivr.stop());
    signalling.switch.runtime.setIvrPort(records.ivrPort(ivr.calls)); // the record names the IVR script
    // ADM-2: which IVR pack answers a service number, changed live and re-applied at start.
    const ivrEntries = new IvrEntryAdmin({ table: ivr.entryPointTable, locales: ivr.locales, applicationOf: (p, l) => ivr.packs.entryUrl(p, l), settings: stores.meta });
    const restoredIvr = await ivrEntries.restore();
    if (restoredIvr.restored.length || restoredIvr.skipped.length) log.info(restoredIvr, 'administered IVR entry points restored');
    // ADM-1, ADM-2: trunks administered live (registration, DIDs), re-applied over the dial-plan file.
    const trunkAdmin = new TrunkAdmin({ dialPlan: signalling.switch.dialPlan, gateway: signalling.switch.gateway, settings: stores.meta });
    const restoredTrunks = await trunkAdmin.restore();
    if (restoredTrunks.restored.length || restoredTrunks.removed.length || restoredTrunks.skipped) log.info(restoredTrunks, 'administered trunks restored');

    const http: FastifyInstance = buildHttpApi(
      {
        version: VERSION,
        clock,
        realm: config.realm,
        startedAt,
        stores: { ...stores, securityEvents },
        components: async () => ({
          store: (await stores.database.ping()) ? { status: 'up' } : { status: 'down', detail: `${stores.database.dialect} did not answer` },
          http: { status: 'up' },
          sip: signalling.health(),
          switch: { status: 'up', detail: `${signalling.switch.runtime.liveCount} live interactions, ${signalling.switch.media.workerCount} media workers` },
        }),
        liftBan: (address) => signalling.liftBan(address),
        acd: acd.control,
        callRecords: stores.callRecords,
        audit,
        roles,
      },
      { logger: log.child({ component: 'http' }), routes: [...callRoutes(signalling.switch.runtime), ...agentAdminRoutes(agentAdmin), ...roleAdminRoutes(roles), ...orgAdminRoutes(orgAdmin), ...taskNoticeRoutes(board), ...queueAdminRoutes(queueAdmin), ...hoursAdminRoutes(queueAdmin), ...ivrEntryAdminRoutes(ivrEntries), ...trunkAdminRoutes(trunkAdmin), ...ivrRoutes(ivr), ...crmRoutes({ calls: signalling.switch.runtime, records: records.recording.recorder, backOffice: ivr.backOffice, settings: stores.meta }), ...webphoneRoutes({ wsPort: config.sipWsPort, ...(config.sipWssPort ? { wssPort: config.sipWssPort } : {}), sipDomain: config.realm, serviceNumbers: () => serviceNumbersOf(signalling.switch.dialPlan), issueCredential: (u) => signalling.issueCredential(u) }), ...systemRoutes({ media: () => signalling.switch.media.stats({ legs: false }), liveCalls: () => signalling.switch.runtime.liveCount })], web: { root: DEFAULT_WEB_ROOT }, events: eventFeed(signalling.switch.runtime, acd, board) },
    );
    cleanup.push(() => http.close());
    await http.listen({ host: config.host, port: config.httpPort });
    const url = localUrl(config.host, config.httpPort);
    if (config.httpsPort) {
      const https = await listenHttps(http, { host: config.host, port: config.httpsPort, ...signalling.tls });
      cleanup.push(() => https.close());
    }
    writeServerInfo(config.dataDir, {
      url,
      pid: process.pid,
      version: VERSION,
      host: config.host,
      httpPort: config.httpPort,
      sipPort: config.sipPort,
      sipTlsPort: config.sipTlsPort,
      sipWsPort: config.sipWsPort,
      ...(config.httpsPort ? { httpsPort: config.httpsPort } : {}),
      ...(config.sipWssPort ? { sipWssPort: config.sipWssPort } : {}),
      startedAt: new Date(startedAt).toISOString(),
    });
    cleanup.push(() => removeServerInfo(config.dataDir, process.pid));
    log.info({ url, host: config.host, httpPort: config.httpPort, httpsPort: config.httpsPort, sipWssPort: config.sipWssPort, dataDir: config.dataDir, database: stores.database.dialect, version: VERSION }, 'hotline ready');
    return {
      config,
      url,
      httpPort: config.httpPort,
      stores,
      async close() {
        log.info('hotline stopping');
        await closeAll();
      },
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
