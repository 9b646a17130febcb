/**
 * `npm run --silent backup -- DEST`: a consistent copy of the move log, also while the
 * server runs. Reads DATA_DIR (./data) as the server does and copies its synack.sqlite —
 * with what its `-wal` holds — through SQLite's online backup API (better-sqlite3's
 * `db.backup()`), so the copy is one committed state even while moves are being written.
 * The copy is checked with `PRAGMA quick_check` and written as one self-contained file
 * (rollback journal, no `-wal` beside it) to DEST, or DEST/synack.sqlite when DEST is a
 * directory; a failed backup leaves DEST as it was. Prints one line. Exit 0 when the copy
 * is made, 1 when it cannot be, 2 for a wrong command line.
 */
import Database from 'better-sqlite3';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { checkDatabaseFiles } from './store-check.ts';
import { DB_FILE, DEFAULT_DATA_DIR } from './store.ts';

const USAGE = 'usage: npm run --silent backup -- DEST   (DEST: a file, or a directory to put synack.sqlite in; DATA_DIR as for the server)';

const errorLine = (e: unknown): string => {
  const code = (e as { code?: unknown } | null)?.code;
  return `${e instanceof Error ? e.message : String(e)}${typeof code === 'string' ? ` (${code})` : ''}`;
};

async function main(argv: string[]): Promise<number> {
  if (argv.length !== 1 || !argv[0] || argv[0].startsWith('-')) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const dataDir = process.env.DATA_DIR || DEFAULT_DATA_DIR;
  const source = path.join(dataDir, DB_FILE);
  if (!existsSync(source)) {
    process.stderr.write(`backup failed: there is no database at ${source} (DATA_DIR=${dataDir})\n`);
    return 1;
  }
  let dest = argv[0];
  if (existsSync(dest) && statSync(dest).isDirectory()) dest = path.join(dest, DB_FILE);
  if (path.resolve(dest) === path.resolve(source)) {
    process.stderr.write(`backup failed: DEST is the database itself (${source}); name another file\n`);
    return 2;
  }
  if (!existsSync(path.dirname(path.resolve(dest)))) {
    process.stderr.write(`backup failed: the directory ${path.dirname(dest)} does not exist\n`);
    return 1;
  }
  // The same check the server makes at start: a copy of a log SQLite would cut short is no backup.
  const damage = checkDatabaseFiles(source);
  if (damage) {
    process.stderr.write(`backup failed: ${damage.file} is damaged: ${damage.what}; keep your older backups\n`);
    return 1;
  }

  const partial = `${dest}.partial-${process.pid}`;
  const removePartial = () => { for (const x of ['', '-wal', '-shm', '-journal']) rmSync(partial + x, { force: true }); };
  try {
    // Read-only: the backup never writes to the server's files, whatever state they are in.
    const src = new Database(source, { readonly: true, fileMustExist: true });
    try {
      await src.backup(partial);
    } finally {
      src.close();
    }
    let rooms: number;
    let events: number;
    const copy = new Database(partial);
    try {
      let found: string[];
      try {
        found = (copy.pragma('quick_check(3)') as { quick_check: string }[]).map((r) => r.quick_check);
      } catch (e) {
        found = [errorLine(e)];
      }
      if (found.length !== 1 || found[0] !== 'ok') throw new Error(`the copy fails quick_check (${found.join('; ')}): ${source} is damaged; keep your older backups`);
      // One file that is complete by itself: the source's WAL mode came with the copied header.
      copy.pragma('journal_mode = DELETE');
      rooms = (copy.prepare('SELECT count(*) AS n FROM rooms').get() as { n: number }).n;
      events = (copy.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    } finally {
      copy.close();
    }
    // A -wal or -shm left beside DEST by an older database would be read with the new file.
    for (const x of ['-wal', '-shm']) rmSync(dest + x, { force: true });
    renameSync(partial, dest);
    process.stdout.write(`backed up ${rooms} room(s) and ${events} logged event(s) from ${source} to ${dest}\n`);
    return 0;
  } catch (e) {
    removePartial();
    process.stderr.write(`backup failed: ${errorLine(e)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
