/** File-system implementations of the data-preparation ports, so the local tool runs the same code as the Lambdas. */
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { finished } from 'node:stream/promises';
import type { SourceIdentity, SourceRef } from '../lambda/core/data/data-manifest';
import type { DataStore, OutputObject, SourceReader, StoredObject } from '../lambda/core/data/data-preparation';

const READ_CHUNK_BYTES = 1024 * 1024;

/** Marks a local file in a SourceRef (the key is the file's path). */
export const LOCAL_SOURCE_BUCKET = 'file';

export class LocalSourceReader implements SourceReader {
  describe(source: SourceRef): string {
    return source.key;
  }

  /** A local file's "ETag" is its size and modification time: enough to notice a replaced file. */
  async identify(source: SourceRef): Promise<SourceIdentity> {
    try {
      const info = await stat(source.key);
      return { ...source, eTag: `${info.size}-${Math.round(info.mtimeMs)}` };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const notFound = new Error(`source file ${source.key} does not exist`, { cause: error });
      notFound.name = 'SourceNotFound';
      throw notFound;
    }
  }

  async open(source: SourceIdentity): Promise<AsyncIterable<Buffer>> {
    return createReadStream(source.key, { highWaterMark: READ_CHUNK_BYTES });
  }
}

export class LocalDataStore implements DataStore {
  constructor(private readonly root: string) {}

  uri(key: string): string {
    return path.join(this.root, key);
  }

  async readJson(key: string): Promise<unknown> {
    try {
      return JSON.parse(await readFile(this.uri(key), 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return undefined;
      throw error;
    }
  }

  async writeJson(key: string, value: unknown): Promise<void> {
    const target = this.uri(key);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(`${target}.partial`, `${JSON.stringify(value, null, 2)}\n`);
    await rename(`${target}.partial`, target);
  }

  async head(key: string): Promise<StoredObject | undefined> {
    return stat(this.uri(key)).then(
      (info) => ({ lastModified: info.mtime, bytes: info.size }),
      () => undefined,
    );
  }

  async readRange(key: string, start: number, end: number): Promise<AsyncIterable<Buffer>> {
    // createReadStream's end is inclusive.
    return createReadStream(this.uri(key), { start, end: end - 1, highWaterMark: READ_CHUNK_BYTES });
  }

  /** Written to `<name>.partial` and renamed on completion, so a failed run leaves no file under the real name. */
  openOutput(key: string): OutputObject {
    const target = this.uri(key);
    const partial = `${target}.partial`;
    // Synchronous so the directory exists before the stream opens its file.
    mkdirSync(path.dirname(target), { recursive: true });
    const stream = createWriteStream(partial, { flags: 'w' });
    stream.on('error', () => undefined); // surfaced through writes and `complete`
    return {
      stream,
      complete: async () => {
        stream.end();
        await finished(stream);
        await rename(partial, target);
      },
      abort: async (reason: Error) => {
        stream.destroy(reason);
        await finished(stream).catch(() => undefined);
        await rm(partial, { force: true });
      },
    };
  }
}
