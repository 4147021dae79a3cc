// The model library: the Train panel's Models box (views/models-panel.js) wired to the
// controller and to the browser's model storage (lib/model-store.js). Downloads of the current
// model and its .npz, model files picked or dropped anywhere on the page, the saved models,
// the autosave's offer to resume on the next visit, and the autosave when the page is hidden.
//
// Life cycle: construct once the controller exists; start() after the first model is built
// (it lists the saved models and offers the autosave); settleOffer() before anything trains.
import { download } from './lib/download.js';
import { epochOf, formatInt } from './lib/format.js';
import { AUTOSAVE_ID, ModelStore } from './lib/model-store.js';
import { DATASETS } from './lib/presets.js';
import { Request } from './protocol.js';
import { ModelsPanel } from './views/models-panel.js';

/**
 * Returns { panel, settleOffer(), start(), stop() }. `$` and `byIds` find the playground's
 * elements by id; `host` carries its state markers; model files dropped on `dropZone` load;
 * `storage` is the namespace of this playground's saved models and autosave (lib/model-store.js).
 */
export function createModelLibrary({ controller, client, dialog, announce, showError, $, byIds, host, dropZone, storage = '' }) {
  let modelStore = null; // the page's side of the browser's model storage (lib/model-store.js)
  const storeReady = ModelStore.open(storage)
    .then((s) => (modelStore = s))
    .catch((err) => {
      models.setSaved(null, `Models cannot be saved in this browser: ${err.message}. Download them instead.`);
      return null;
    });

  async function refreshSaved() {
    if (!(await storeReady)) return;
    try {
      models.setSaved(await modelStore.list());
    } catch (err) {
      models.setSaved(null, `The saved models could not be read: ${err.message}`);
    }
  }

  const fail = (err) => {
    showError(err);
    models.showStatus(err.message, { error: true });
  };

  async function loadModelFile(file) {
    models.showStatus(`Loading “${file.name}”…`);
    try {
      await controller.loadFile(file);
      models.showStatus(`Loaded “${file.name}”.`);
    } catch (err) {
      fail(err);
    }
  }

  const models = new ModelsPanel({
    el: byIds({
      picker: 'model-picker', note: 'model-note', download: 'download-model', npz: 'download-npz', file: 'model-file', drop: 'model-drop',
      status: 'model-status', saveNow: 'save-now', autosave: 'autosave-status', savedCount: 'saved-count', savedList: 'saved-list', savedEmpty: 'saved-empty',
    }),
    on: {
      choose: (value) => {
        models.showStatus('');
        controller.chooseWeights(value);
      },
      download: () => controller.saveFile().then(({ bytes, filename }) => download(bytes, filename), fail),
      downloadNpz: () => controller.exportNpz().then(({ bytes, filename }) => download(bytes, filename), fail),
      loadFile: loadModelFile,
      saveNow: async () => {
        try {
          const meta = await controller.saveNow(controller.suggestName());
          models.showStatus(`Saved “${meta.name}”.`);
          $('saved-box').open = true;
          await refreshSaved();
        } catch (err) {
          fail(err);
        }
      },
      loadSaved: async (meta) => {
        try {
          await controller.loadStored(meta.id, `“${meta.name}”`);
          models.showStatus(`Loaded “${meta.name}”.`);
        } catch (err) {
          fail(err);
        }
      },
      renameSaved: (meta, name) => modelStore.rename(meta.id, name).then(refreshSaved, fail),
      deleteSaved: async (meta) => {
        const ok = await dialog.ask({ title: 'Delete the saved model?', message: `“${meta.name}” will be deleted from this browser.`, ok: 'Delete', cancel: 'Keep it' });
        if (!ok) return;
        try {
          await modelStore.remove(meta.id);
          announce(`Deleted “${meta.name}”.`);
          await refreshSaved();
        } catch (err) {
          fail(err);
        }
      },
      downloadSaved: (meta) => modelStore.blob(meta.id).then((b) => download(b, `${meta.name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'model'}.aemf`), fail),
    },
  });

  // A model file dropped anywhere on the playground (the draw pad keeps images for itself).
  let dragDepth = 0;
  const hasFiles = (e) => Array.from(e.dataTransfer?.types ?? []).includes('Files');
  dropZone.addEventListener('dragenter', (e) => {
    if (!hasFiles(e)) return;
    dragDepth += 1;
    dropZone.classList.add('dragging-file');
  });
  dropZone.addEventListener('dragleave', () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (!dragDepth) dropZone.classList.remove('dragging-file');
  });
  dropZone.addEventListener('dragover', (e) => hasFiles(e) && e.preventDefault());
  dropZone.addEventListener('drop', (e) => {
    dragDepth = 0;
    dropZone.classList.remove('dragging-file');
    const f = e.dataTransfer?.files?.[0];
    if (!f) return;
    e.preventDefault();
    loadModelFile(f);
  });

  // The autosave of an earlier visit: offered, never forced. The offer stays until it is
  // answered or training starts (which would overwrite the autosave): then the old autosave is
  // kept under Saved models, so nothing is lost.
  let offered = null; // the autosave's metadata while the offer is shown
  async function offerResume() {
    if (!(await storeReady)) {
      host.dataset.resumeOffer = '0'; // no storage: nothing to offer
      return;
    }
    const meta = await modelStore.get(AUTOSAVE_ID).catch(() => null);
    if (!meta) {
      host.dataset.resumeOffer = '0'; // looked: nothing to offer
      return;
    }
    offered = meta;
    const epoch = epochOf(meta);
    const when = new Date(meta.date).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
    $('resume-text').textContent = `Your last session trained ${meta.title ?? 'a model'} on ${DATASETS[meta.dataset]?.label ?? meta.dataset}; it was autosaved ${when} at epoch ${formatInt(epoch)}, step ${formatInt(meta.step)}.`;
    $('resume-btn').textContent = `Resume where you left off (epoch ${formatInt(epoch)}, step ${formatInt(meta.step)})`;
    $('resume-offer').hidden = false;
    host.dataset.resumeOffer = '1';
  }

  /** The offer is answered by starting something else: keep the autosave under Saved models. */
  async function settleOffer() {
    if (!offered) return;
    const meta = offered;
    offered = null;
    $('resume-offer').hidden = true;
    delete host.dataset.resumeOffer;
    const when = new Date(meta.date).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
    try {
      await modelStore.keepAutosave(`Previous session (${when})`);
      await refreshSaved();
    } catch (err) {
      showError(err);
    }
  }

  $('resume-btn').addEventListener('click', async () => {
    if (!offered) return;
    offered = null;
    $('resume-offer').hidden = true;
    delete host.dataset.resumeOffer;
    try {
      await controller.loadStored(AUTOSAVE_ID, 'your autosave');
      models.showStatus('Resumed where you left off.');
      $('train-btn').focus();
    } catch (err) {
      fail(err);
    }
  });
  $('fresh-btn').addEventListener('click', async () => {
    await settleOffer();
    announce('Starting fresh. Your previous session is kept under Saved models.');
    models.showStatus('Your previous session is kept under Saved models.');
  });

  // Leaving or hiding the page: the worker autosaves what trained since the last save.
  const autosaveNow = () => client.request(Request.AUTOSAVE, { reason: 'hidden' }).catch(() => {});
  const onVisibility = () => document.visibilityState === 'hidden' && autosaveNow();
  document.addEventListener('visibilitychange', onVisibility);
  window.addEventListener('pagehide', autosaveNow);

  return {
    panel: models,
    settleOffer,
    start() {
      refreshSaved();
      offerResume();
    },
    /** The playground is going away: autosave, and stop listening to the page. */
    stop() {
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', autosaveNow);
      return autosaveNow();
    },
  };
}
