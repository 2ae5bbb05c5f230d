// The services Vigie needs: external ones when configured (DATABASE_URL,
// TEMPORAL_ADDRESS), otherwise the embedded PostgreSQL and Temporal dev server.
import path from 'node:path';
import type { Config } from '../config/config.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../embedded/index.js';
import { findTemporalCli, startEmbeddedTemporal, type EmbeddedTemporal } from '../embedded/index.js';
import { bootstrapDatabase } from '../embedded/index.js';
import type { LocalCredentials } from './credentials.js';

export interface Services {
  ownerUrl: string;
  temporalAddress: string;
  temporalUiUrl: string | undefined;
  embedded: { postgres: boolean; temporal: boolean };
  stop(): Promise<void>;
}

export interface ServiceLog {
  info(msg: string): void;
  debug(msg: string): void;
}

export async function startServices(
  config: Config,
  creds: LocalCredentials,
  log: ServiceLog,
): Promise<Services> {
  let pg: EmbeddedPostgres | undefined;
  let temporal: EmbeddedTemporal | undefined;
  const stop = async () => {
    await temporal?.stop();
    await pg?.stop();
  };
  try {
    // PostgreSQL and Temporal start side by side: on 2 cores this saves seconds.
    const temporalStart = config.temporalAddress
      ? Promise.resolve(undefined)
      : startEmbeddedTemporal({
          cli: findTemporalCli({
            explicit: config.temporalCli,
            toolsDir: path.join(config.dataDir, 'tools'),
            log: log.info,
          }),
          dir: path.join(config.dataDir, 'temporal'),
          port: config.embeddedTemporalPort,
          uiPort: config.embeddedTemporalUiPort,
          namespace: config.temporalNamespace,
          onLog: (l) => log.debug(`[temporal] ${l}`),
        });
    const pgStart = config.databaseUrl
      ? Promise.resolve(undefined)
      : startEmbeddedPostgres({
          dir: path.join(config.dataDir, 'pg'),
          port: config.embeddedPgPort,
          superuserPassword: creds.pgSuperuser,
          onLog: (l) => log.debug(`[postgres] ${l}`),
        });
    const [pgRes, temporalRes] = await Promise.allSettled([pgStart, temporalStart]);
    if (pgRes.status === 'fulfilled') pg = pgRes.value;
    if (temporalRes.status === 'fulfilled') temporal = temporalRes.value;
    if (pgRes.status === 'rejected') throw pgRes.reason;
    if (temporalRes.status === 'rejected') throw temporalRes.reason;

    const ownerUrl =
      config.databaseUrl ?? (await bootstrapDatabase(pg!.superuserUrl, 'vigie', creds.pgOwner));
    return {
      ownerUrl,
      temporalAddress: config.temporalAddress ?? temporal!.address,
      temporalUiUrl: temporal?.uiUrl,
      embedded: { postgres: !config.databaseUrl, temporal: !config.temporalAddress },
      stop,
    };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}
