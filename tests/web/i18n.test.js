// The language machinery: choosing a language, messages with plurals and typed values in
// each language, errors from the engine said in the page's language, and the formulas' TeX
// for the current model (sizes as the engine builds them).
import { describe, expect, it } from 'vitest';

import { I18n, createI18n, detectLang, normalizeLang } from '../../web/src/i18n/index.js';
import { plain } from '../../web/src/i18n/dom.js';
import { LocalizedError, describeError } from '../../web/src/i18n/errors.js';
import { V } from '../../web/src/i18n/values.js';
import { storageError } from '../../web/src/lib/model-store.js';
import { lossTerms, modelLayers, reparamTex } from '../../web/src/formulas/tex.js';
import { reconstructionLoss } from '../../web/src/lib/image.js';
import { applyPatch, defaults } from '../../web/src/state.js';
import { readAttributes } from '../../web/src/embed/options.js';

describe('choosing the language', () => {
  it('normalises tags and takes the first one it speaks: explicit choices, then the browser’s', () => {
    expect(normalizeLang('zh-CN')).toBe('zh');
    expect(normalizeLang('zh-Hant-TW')).toBe('zh');
    expect(normalizeLang('EN_gb')).toBe('en');
    expect(normalizeLang('fr')).toBe(null);
    expect(detectLang([null, undefined], ['fr-FR', 'zh-CN', 'en'])).toBe('zh');
    expect(detectLang(['en'], ['zh-CN'])).toBe('en');
    expect(detectLang([], ['de', 'fr'])).toBe('en');
  });

  it('travels as a setting (the link’s lang=) and as the element’s lang attribute', () => {
    expect(defaults().lang).toBe('auto');
    expect(applyPatch(defaults(), { lang: 'zh' }).state.lang).toBe('zh');
    expect(applyPatch(defaults(), { lang: 'fr' }).errors).toHaveLength(1);
    expect(readAttributes({ lang: 'zh-CN' }).entries.lang).toBe('zh');
    expect(readAttributes({ lang: 'fr' }).entries.lang).toBeUndefined(); // left to the page around
  });
});

describe('messages', () => {
  it('name the code without a count while the pad is blank (no "0 numbers" beside a 20-number model)', async () => {
    const en = await createI18n('en');
    const zh = await createI18n('zh');
    expect(en.t('draw.codeCaption', { z: 0 })).toBe('The code');
    expect(en.t('draw.codeCaption', { z: 20 })).toBe('The code (20 numbers)');
    expect(en.t('draw.codeLabel', { z: 0 })).toBe('The code of the input: shown once there is a drawing');
    expect(zh.t('draw.codeCaption', { z: 0 })).toBe('编码');
    expect(zh.t('draw.codeCaption', { z: 20 })).toBe('编码（20 个数字）');
    expect(zh.t('draw.codeLabel', { z: 0 })).toBe('输入的编码：有了画才会显示');
  });

  it('format plurals, selects and typed values in each language', async () => {
    const en = await createI18n('en');
    const zh = await createI18n('zh');
    expect(en.t('train.more', { n: 1 })).toBe('Train 1 more epoch');
    expect(en.t('train.more', { n: 3 })).toBe('Train 3 more epochs');
    expect(zh.t('train.more', { n: 3 })).toBe('再训练 3 轮');
    const p = { epoch: V.int(2), total: V.int(10), test: V.msg('announce.testLoss', { loss: V.loss(65.345) }), train: V.loss(1234.56) };
    expect(en.t('announce.epoch', p)).toBe('Epoch 2 of 10 done. Test loss 65.35, training loss 1234.6.');
    expect(zh.t('announce.epoch', p)).toBe('第 2 轮（共 10 轮）完成。测试损失 65.35，训练损失 1234.6。');
    expect(en.format(V.dur(125_000))).toBe('2 min 5 sec');
    expect(zh.format(V.dur(125_000))).toBe('2分钟5秒');
    expect(zh.format(V.join([784, V.msg('describe.conv', { channels: '32-64' }), 20], ' → '))).toBe('784 → 卷积 32-64 → 20');
    expect(en.format(V.lower(V.msg('setting.latent.label')))).toBe('latent size');
  });

  it('switch languages in place: remembered keys re-render, listeners hear of it', async () => {
    const i18n = new I18n('en');
    const seen = [];
    i18n.onChange((l) => seen.push(l));
    await i18n.setLang('zh');
    expect(i18n.t('draw.title')).toBe('绘制');
    expect(i18n.tag).toBe('zh-Hans');
    expect(seen).toEqual(['zh']);
    expect(i18n.t('no.such.key')).toBe('[no.such.key]'); // visibly wrong, never silently English
  });

  it('turn markup into glossary links and emphasis; plain() drops it for attributes', async () => {
    const zh = await createI18n('zh');
    expect(plain('The [[encoder]] and the **code**', (id) => `<${id}>`)).toBe('The <encoder> and the code');
    expect(zh.plain('draw.explain')).not.toMatch(/\[\[|\*\*/);
    expect(zh.plain('draw.explain')).toContain('编码器');
  });
});

describe('errors in the page’s language', () => {
  it('maps the engine’s and the worker’s messages to catalogue keys, with their numbers', async () => {
    expect(describeError(new Error('model file: truncated: the file has 12 bytes but its header says 800 (…)')).key).toBe('error.modelFile.truncated');
    expect(describeError(new Error('model file: not an AEMF model file: a model file starts with the 4 bytes \'AEMF\'')).key).toBe('error.modelFile.magic');
    expect(describeError(new Error('the model has already trained 3 epochs: set "Train for" above 3 epochs to continue'))).toEqual({ key: 'error.alreadyTrained', params: { n: 3 } });
    expect(describeError({ message: 'x', code: 'diverged', params: { step: 12, value: 'nan' } }).key).toBe('error.diverged');
    // Unknown: inside a sentence of the page's language, with the English detail.
    const unknown = describeError(new Error('something new'));
    expect(unknown.key).toBe('error.engine');
    const zh = await createI18n('zh');
    expect(zh.t(unknown.key, unknown.params)).toBe('引擎报告：something new');
    // The page's own errors carry their key.
    expect(describeError(new LocalizedError('draw.errBlank', { name: 'a.png' }))).toEqual({ key: 'draw.errBlank', params: { name: 'a.png' } });
    // V.err: the engine's words in English, the catalogue's in Chinese.
    const en = await createI18n('en');
    const e = new Error('no training data: load a dataset before training');
    expect(en.format(V.err(e))).toBe(e.message);
    expect(zh.format(V.err(e))).toBe('没有训练数据：训练前请先载入数据集');
    // Storage failures (lib/model-store.js storageError, the worker's autosave log): what was
    // being done and why, in Chinese too.
    const quota = storageError(Object.assign(new Error(''), { name: 'QuotaExceededError' }), 'The autosave');
    expect(zh.format(V.err(quota))).toBe('自动保存失败：浏览器给本页面的存储空间已满（超出了配额）。请改为下载模型文件（模型 → “下载模型”），或删除已保存的模型腾出空间。');
    expect(zh.format(V.err(quota.message))).toBe(zh.format(V.err(quota)));
    expect(en.format(V.err(quota))).toBe(quota.message);
    const refused = storageError(Object.assign(new Error(''), { name: 'UnknownError' }), 'Saving “我的模型”');
    expect(zh.format(V.err(refused))).toBe('保存“我的模型”失败：浏览器拒绝了写入（UnknownError）。请改为下载模型文件（模型 → “下载模型”）。');
    expect(zh.format(V.err(storageError(new Error(''), 'Renaming the model')))).toMatch(/^重命名模型失败：浏览器拒绝了写入，没有说明原因。/);
  });
});

describe('formulas of the current model', () => {
  const s = (patch) => applyPatch(defaults(), patch).state;

  it('list the loss terms the settings train with, in the chart’s ids', () => {
    expect(lossTerms(s({})).map((t) => t.id)).toEqual(['total', 'recon']);
    expect(lossTerms(s({ variant: 'vae' })).map((t) => t.id)).toEqual(['total', 'recon', 'kl']);
    expect(lossTerms(s({ variant: 'sparse', weight_decay_l2: 0.001 })).map((t) => t.id)).toEqual(['total', 'recon', 'sparsity', 'weightDecay']);
    expect(lossTerms(s({ loss: 'mse' }))[1].tex).toContain('\\left(x_i - \\hat{x}_i\\right)^2');
    expect(lossTerms(s({ variant: 'vae', latent: 7 }))[2].tex).toContain('\\sum_{j=1}^{7}');
  });

  it('give one equation per layer with the current sizes, mirrored in the decoder', () => {
    const seed = modelLayers(s({}));
    expect(seed.boxes.map((b) => b.label)).toEqual(['784', '400', '20', '400', '784']);
    expect(seed.layers.map((l) => l.part)).toEqual(['encoder', 'encoder', 'decoder', 'decoder']);
    expect(seed.layers[0].tex).toContain('W_{1} \\in \\mathbb{R}^{400\\times784}');
    expect(seed.layers[3].tex).toContain('\\mathbb{R}^{784\\times400}');
    // Convolutions: 28 → 14 → 7 with 32 and 64 channels, then the code, then back.
    const conv = modelLayers(s({ variant: 'conv' }));
    expect(conv.boxes.map((b) => b.label)).toEqual(['784', '32×14×14', '64×7×7', '20', '64×7×7', '32×14×14', '784']);
    // VAE: the encoder's last layer gives 2Z numbers, then z = μ + σ ⊙ ε.
    const vae = modelLayers(s({ variant: 'vae', widths: '256,128' }));
    expect(vae.layers.find((l) => l.tex.includes('\\mu,')).tex).toContain('\\mathbb{R}^{4\\times128}');
  });

  it('write the reparameterisation with a drawing’s μ and σ = exp(½ log σ²)', () => {
    const r = reparamTex(Float32Array.of(0.5, -1.25, Math.log(0.04), Math.log(0.25)));
    expect(r.mu).toEqual([0.5, -1.25]);
    expect(r.sigma[0]).toBeCloseTo(0.2, 6);
    expect(r.sigma[1]).toBeCloseTo(0.5, 6);
    expect(r.tex).toContain('\\left(0.50,\\ -1.25\\right)');
  });
});

describe('the Draw panel’s reconstruction loss', () => {
  it('is BCE or squared error summed over the pixels, as the chart measures an image', () => {
    const x = Float32Array.of(0, 1, 0.5, 1);
    const y = Float32Array.of(0.1, 0.9, 0.5, 1);
    expect(reconstructionLoss('mse', x, y)).toBeCloseTo(0.01 + 0.01, 6);
    const bce = -(Math.log(0.9) + Math.log(0.9) + (0.5 * Math.log(0.5) + 0.5 * Math.log(0.5)) + Math.log(1 - 1e-7));
    expect(reconstructionLoss('bce', x, y)).toBeCloseTo(bce, 5);
  });
});
