// The model library: the Train panel's Models box (views/models-panel.js) wired to the
// controller and to the browser's model storage (lib/model-store.js). Downloads of the current
// model and its .npz, model files picked or dropped anywhere on the page, the saved models,
// the autosave's offer to resume on the next visit, and the autosave when the page is hidden.
//
// Life cycle: construct once the controller exists; start() after the first model is built
// (it lists the saved models and offers the autosave); settleOffer() before anything trains.
import { download } from './lib/download.js';
import { epochOf } from './lib/format.js';
import { AUTOSAVE_ID, ModelStore } from './lib/model-store.js';
import { V } from './i18n/values.js';
import { Request } from './protocol.js';
import { ModelsPanel } from './views/models-panel.js';

/**
 * Returns { panel, settleOffer(), start(), stop() }. `$` and `byIds` find the playground's
 * elements by id; `host` carries its state markers; model files dropped on `dropZone` load;
 * `storage` is the namespace of this playground's saved models and autosave (lib/model-store.js).
 */
export function createModelLibrary({ controller, client, dialog, announce, showError, $, byIds, host, dropZone, storage = '', i18n }) {
  let modelStore = null; // the page's side of the browser's model storage (lib/model-store.js)
  const storeReady = ModelStore.open(storage)
    .then((s) => (modelStore = s))
    .catch((err) => {
      models.setSaved(null, { key: 'files.cannotSave', params: { reason: V.err(err) } });
      return null;
    });

  async function refreshSaved() {
    if (!(await storeReady)) return;
    try {
      models.setSaved(await modelStore.list());
    } catch (err) {
      models.setSaved(null, { key: 'files.cannotRead', params: { reason: V.err(err) } });
    }
  }

  const fail = (err) => {
    showError(err);
    models.showStatus(err?.key ? { key: err.key, params: err.params } : { key: 'describe.text', params: { text: V.err(err) } }, { error: true });
  };
  /** A file name from a message (the words in the page's language) and an extension. */
  const fileName = ({ stem, ext }) => `${i18n.t(stem.key, stem.params).replace(/[\\/:*?"<>|]+/g, '-')}${ext}`;

  async function loadModelFile(file) {
    const name = V.raw(file.name);
    models.showStatus({ key: 'files.loading', params: { name } });
    try {
      await controller.loadFile(file);
      models.showStatus({ key: 'files.loaded', params: { name } });
    } catch (err) {
      fail(err);
    }
  }

  const models = new ModelsPanel({
    el: byIds({
      picker: 'model-picker', note: 'model-note', download: 'download-model', npz: 'download-npz', file: 'model-file', drop: 'model-drop',
      status: 'model-status', saveNow: 'save-now', autosave: 'autosave-status', savedCount: 'saved-count', savedList: 'saved-list', savedEmpty: 'saved-empty',
    }),
    i18n,
    on: {
      choose: (value) => {
        models.showStatus(null);
        controller.chooseWeights(value);
      },
      download: () => controller.saveFile().then((f) => download(f.bytes, fileName(f)), fail),
      downloadNpz: () => controller.exportNpz().then((f) => download(f.bytes, fileName(f)), fail),
      loadFile: loadModelFile,
      saveNow: async () => {
        try {
          const suggested = controller.suggestName();
          const meta = await controller.saveNow(i18n.plain(suggested.key, suggested.params));
          models.showStatus({ key: 'files.savedAs', params: { name: V.raw(meta.name) } });
          $('saved-box').open = true;
          await refreshSaved();
        } catch (err) {
          fail(err);
        }
      },
      loadSaved: async (meta) => {
        try {
          await controller.loadStored(meta.id, V.msg('label.file', { name: V.raw(meta.name) }));
          models.showStatus({ key: 'files.loaded', params: { name: V.raw(meta.name) } });
        } catch (err) {
          fail(err);
        }
      },
      renameSaved: (meta, name) => modelStore.rename(meta.id, name).then(refreshSaved, fail),
      deleteSaved: async (meta) => {
        const name = V.raw(meta.name);
        const ok = await dialog.ask({ title: { key: 'files.deleteTitle' }, message: { key: 'files.deleteMessage', params: { name } }, ok: { key: 'files.deleteOk' }, cancel: { key: 'files.deleteKeep' } });
        if (!ok) return;
        try {
          await modelStore.remove(meta.id);
          announce('files.deleted', { name });
          await refreshSaved();
        } catch (err) {
          fail(err);
        }
      },
      downloadSaved: (meta) => modelStore.blob(meta.id).then((b) => download(b, `${meta.name.replace(/[\\/:*?"<>|\s]+/g, '-').replace(/^-+|-+$/g, '') || i18n.t('files.defaultStem')}.aemf`), fail),
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
    const variant = meta.variant ? V.msg(`variant.${meta.variant}`) : V.msg('variantShort.other');
    const dataset = ['mnist', 'fashion-mnist'].includes(meta.dataset) ? V.msg(`dataset.${meta.dataset}`) : V.raw(meta.dataset ?? '?');
    i18n.text($('resume-text'), 'resume.text', { variant, dataset, when: V.date(meta.date), epoch: V.int(epoch), step: V.int(meta.step) });
    i18n.text($('resume-btn'), 'resume.button', { epoch: V.int(epoch), step: V.int(meta.step) });
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
    try {
      await modelStore.keepAutosave(i18n.plain('resume.keptName', { when: V.date(meta.date) }));
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
      await controller.loadStored(AUTOSAVE_ID, V.msg('resume.autosaveLabel'));
      models.showStatus({ key: 'resume.resumed' });
      $('train-btn').focus();
    } catch (err) {
      fail(err);
    }
  });
  $('fresh-btn').addEventListener('click', async () => {
    await settleOffer();
    announce('resume.freshAnnounce');
    models.showStatus({ key: 'resume.freshStatus' });
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
