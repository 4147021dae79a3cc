// The person's models in the browser's IndexedDB: the autosave (one slot, written by the
// training worker) and the "Saved models" list. The same module runs in the page (the list:
// rename, delete, download) and in the worker (autosave, "Save now", loading), which keeps the
// multi-megabyte model bytes off the page's main thread.
//
// Two object stores, so that listing never reads model bytes:
//   meta   { id, kind: 'autosave' | 'saved', name, dataset, variant, title, step, epoch,
//            epochProgress, date (ms since 1970), size (bytes), target }
//   bytes  id → Blob of the .aemf file (with optimizer state and history)
export const DB_NAME = 'autoencoder-playground';
const DB_VERSION = 1;
export const AUTOSAVE_ID = 'autosave';

/** The database of a storage namespace ('' = the standalone playground's). */
export function dbName(namespace = '') {
  if (!namespace) return DB_NAME;
  if (typeof namespace !== 'string' || !/^[\w.-]{1,64}$/.test(namespace)) {
    throw new Error(`a storage name must be 1 to 64 letters, digits, '.', '-' or '_', got '${String(namespace).slice(0, 40)}'`);
  }
  return `${DB_NAME}:${namespace}`;
}

const promise = (req) =>
  new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });

const done = (tx) =>
  new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
  });

export class ModelStore {
  /** @param {IDBDatabase} db */
  constructor(db) {
    this.db = db;
  }

  /**
   * Opens (creating on first use) the database of a storage namespace: '' for the standalone
   * playground, another name for each playground of a course page that asks for its own (their
   * saved models and autosaves never collide). Rejects with a readable Error where IndexedDB is
   * missing or refused (some private modes): the page then works without saved models.
   * @param {string} [namespace]
   * @param {IDBFactory} [idb]
   */
  static async open(namespace = '', idb = globalThis.indexedDB) {
    if (!idb) throw new Error('this browser offers no IndexedDB storage, so models cannot be saved in it');
    const req = idb.open(dbName(namespace), DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains('meta')) db.createObjectStore('meta', { keyPath: 'id' });
      if (!db.objectStoreNames.contains('bytes')) db.createObjectStore('bytes');
    };
    try {
      const db = await promise(req);
      // Another tab (or the worker) may upgrade the schema later: step aside for it.
      db.onversionchange = () => db.close();
      return new ModelStore(db);
    } catch (err) {
      throw new Error(`the browser refused to open its model storage (IndexedDB): ${err?.message ?? err}`);
    }
  }

  /** Saved models (not the autosave), newest first. */
  async list() {
    const all = await promise(this.db.transaction('meta').objectStore('meta').getAll());
    return all.filter((m) => m.kind === 'saved').sort((a, b) => b.date - a.date);
  }

  /** @returns {Promise<object|null>} */
  async get(id) {
    return (await promise(this.db.transaction('meta').objectStore('meta').get(id))) ?? null;
  }

  /**
   * Stores a model's metadata and bytes in one transaction (both or neither). A refused write
   * (storage full, …) rejects with storageError's readable message.
   */
  async put(meta, bytes) {
    const what = meta.kind === 'autosave' ? 'The autosave' : `Saving “${meta.name}”`;
    try {
      const tx = this.db.transaction(['meta', 'bytes'], 'readwrite');
      tx.objectStore('bytes').put(bytes instanceof Blob ? bytes : new Blob([bytes], { type: 'application/octet-stream' }), meta.id);
      tx.objectStore('meta').put(meta);
      await done(tx);
    } catch (err) {
      throw storageError(err, what);
    }
    return meta;
  }

  /** @returns {Promise<Blob>} the model file */
  async blob(id) {
    const b = await promise(this.db.transaction('bytes').objectStore('bytes').get(id));
    if (!b) throw new Error(`no saved model '${id}' in this browser's storage (it may have been deleted in another tab)`);
    return b;
  }

  /** @returns {Promise<Uint8Array>} */
  async bytes(id) {
    return new Uint8Array(await (await this.blob(id)).arrayBuffer());
  }

  async rename(id, name) {
    try {
      await this.#rename(id, name);
    } catch (err) {
      throw storageError(err, 'Renaming the model');
    }
  }

  async #rename(id, name) {
    const tx = this.db.transaction('meta', 'readwrite');
    const store = tx.objectStore('meta');
    const meta = await promise(store.get(id));
    if (!meta) throw new Error(`no saved model '${id}' to rename`);
    store.put({ ...meta, name });
    await done(tx);
  }

  async remove(id) {
    const tx = this.db.transaction(['meta', 'bytes'], 'readwrite');
    tx.objectStore('meta').delete(id);
    tx.objectStore('bytes').delete(id);
    await done(tx);
  }

  /** Turns the autosave into an entry of the saved list (nothing is copied). */
  async keepAutosave(name) {
    try {
      return await this.#keepAutosave(name);
    } catch (err) {
      throw storageError(err, 'Keeping the previous session under Saved models');
    }
  }

  async #keepAutosave(name) {
    const tx = this.db.transaction(['meta', 'bytes'], 'readwrite');
    const meta = tx.objectStore('meta');
    const bytes = tx.objectStore('bytes');
    const [m, b] = await Promise.all([promise(meta.get(AUTOSAVE_ID)), promise(bytes.get(AUTOSAVE_ID))]);
    if (!m || !b) {
      tx.abort();
      return null;
    }
    const kept = { ...m, id: newId(), kind: 'saved', name };
    meta.put(kept);
    bytes.put(b, kept.id);
    meta.delete(AUTOSAVE_ID);
    bytes.delete(AUTOSAVE_ID);
    await done(tx);
    return kept;
  }

  close() {
    this.db.close();
  }
}

/**
 * A storage failure as an Error that says what happened and what to do. The browser's own
 * errors are often blank: Chromium's QuotaExceededError carries an empty message (and
 * `'' ?? fallback` keeps the ''), so the name decides.
 * @param {unknown} err   what IndexedDB threw or aborted with
 * @param {string} what   what failed, as the start of a sentence ("The autosave")
 */
export function storageError(err, what) {
  const name = err?.name ?? '';
  const detail = (typeof err?.message === 'string' && err.message.trim()) || '';
  const instead = 'Download the model file instead (Models → “Download model”)';
  if (name === 'QuotaExceededError') {
    return Object.assign(new Error(`${what} failed: this browser's storage for the playground is full (its quota is exceeded). ${instead}, or delete saved models to make room.`), { code: 'quota' });
  }
  const why = detail || (name && name !== 'Error' ? `the browser refused it (${name})` : 'the browser refused it without saying why');
  return Object.assign(new Error(`${what} failed: ${why}. ${instead}.`), { code: 'storage' });
}

/** A fresh id for a saved model. */
export function newId() {
  return `saved-${Date.now().toString(36)}-${Math.floor(Math.random() * 36 ** 6).toString(36)}`;
}
