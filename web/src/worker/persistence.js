// Models in and out of the worker: the current model as a file (.aemf, .npz), stored in the
// browser ("Save now", the autosave), and models loaded from the browser's storage or fetched
// from the page's pretrained models. Plain handler functions over the WorkerContext.
import { Request } from '../protocol.js';
import { AUTOSAVE_ID, newId } from '../lib/model-store.js';
import { transfer } from './context.js';
import { loadBytes } from './model-life.js';

export const saveModel = (ctx, { withOptimizer = true }) =>
  transfer({ bytes: ctx.engine.saveModel(JSON.stringify(ctx.record()), Boolean(withOptimizer)) });

export const exportNpz = (ctx) => transfer({ bytes: ctx.engine.exportNpz() });

/** STORE_MODEL ("Save now"): into the saved-models list. */
export async function storeModel(ctx, { name }) {
  const store = await ctx.store();
  if (!store) throw new Error('this browser offers no storage for saved models here: download the model instead');
  const bytes = ctx.engine.saveModel(JSON.stringify(ctx.record()), true);
  const { step, epoch } = ctx.engine.info();
  const meta = { ...ctx.meta(), id: newId(), kind: 'saved', name: String(name || 'Saved model').slice(0, 200), step, epoch, date: Date.now(), size: bytes.length };
  await store.put(meta, bytes);
  return { meta };
}

export const autosave = async (ctx, { reason = 'request' }) => ({ meta: await ctx.keeper.autosave(reason) });

/** LOAD_PRETRAINED: a model shipped with the page, fetched here. */
export async function loadPretrained(ctx, { url, modelId, name }) {
  let res;
  try {
    res = await ctx.fetchImpl(url);
  } catch (err) {
    throw new Error(`the pretrained model "${name}" could not be downloaded (${err.message}): check the connection and choose it again`);
  }
  if (!res.ok) throw new Error(`the pretrained model "${name}" could not be downloaded: the server answered ${res.status} for ${url}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  return loadBytes(ctx, bytes, { kind: 'pretrained', id: modelId, name });
}

/** LOAD_STORED: a saved model, or the autosave. */
export async function loadStored(ctx, { modelId }) {
  const store = await ctx.store();
  if (!store) throw new Error('this browser offers no storage for saved models here');
  const meta = await store.get(modelId);
  if (!meta) throw new Error(`there is no saved model '${modelId}' in this browser (it may have been deleted in another tab)`);
  const bytes = await store.bytes(modelId);
  return loadBytes(ctx, bytes, { kind: modelId === AUTOSAVE_ID ? 'autosave' : 'saved', id: modelId, name: meta.name });
}

export const persistenceHandlers = {
  [Request.SAVE_MODEL]: saveModel,
  [Request.EXPORT_NPZ]: exportNpz,
  [Request.STORE_MODEL]: storeModel,
  [Request.AUTOSAVE]: autosave,
  [Request.LOAD_PRETRAINED]: loadPretrained,
  [Request.LOAD_STORED]: loadStored,
};
