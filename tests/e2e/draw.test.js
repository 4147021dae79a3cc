// Panel 1, Draw: a user draws with the mouse (brush, eraser, undo, clear), picks a test image,
// loads image files (good and broken), and sees the model's input, reconstruction and error
// follow the pen while the stroke is still going, even while training runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ONE, ZERO, canvasPixels, drawStroke, expectBanner, launch, mean, numberIn, openPlayground, screenshot, startTraining, waitForSteps } from './browser.js';

let browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const inkOnPad = (page) =>
  page.evaluate(() => {
    const c = $ae('#draw-pad');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) n += d[i] > 127 ? 1 : 0;
    return n;
  });

async function setRange(page, selector, key) {
  await page.focus(selector);
  await page.keyboard.press(key);
}

describe('drawing', () => {
  it('brush, eraser, undo and clear change the pad and what the model sees', async () => {
    const { page, errors } = await openPlayground(browser);
    expect(await page.textContent('#draw-error')).toContain('Draw a digit');

    await setRange(page, '#brush-size', 'Home');
    await drawStroke(page, [[0.2, 0.5], [0.8, 0.5]]);
    const thin = await inkOnPad(page);
    await page.click('#clear-btn');
    expect(await inkOnPad(page)).toBe(0);
    await setRange(page, '#brush-size', 'End');
    await drawStroke(page, [[0.2, 0.5], [0.8, 0.5]]);
    const thick = await inkOnPad(page);
    expect(thick / thin).toBeGreaterThan(3); // brush 40 px against 10 px

    // What the model sees: preprocessed to 28×28, ink in the middle, black corners.
    await page.waitForSelector('#draw-recon[data-filled="1"]');
    const input = await canvasPixels(page, '#model-input');
    expect(mean(input)).toBeGreaterThan(10);
    expect(input[0] + input[27] + input[27 * 28] + input[28 * 28 - 1]).toBe(0);
    expect(await page.textContent('#draw-source')).toBe('Your drawing');
    // Both measures of the error, each saying which it is (the chart's BCE per image, and the
    // mean squared error per pixel), and how they relate.
    expect(numberIn(await page.textContent('#draw-mse-text'))).toBeGreaterThan(0);
    expect(await page.textContent('#draw-mse-text')).toContain('Mean squared error per pixel');
    expect(numberIn(await page.textContent('#draw-loss-text'))).toBeGreaterThan(numberIn(await page.textContent('#draw-mse-text')));
    expect(await page.textContent('#draw-loss-text')).toContain('BCE summed over the 784 pixels');
    expect(mean(await canvasPixels(page, '#draw-error-map'))).toBeGreaterThan(0);

    // The eraser removes ink across the line; undo puts it back exactly.
    await page.click('#eraser-btn');
    expect(await page.getAttribute('#eraser-btn', 'aria-pressed')).toBe('true');
    await drawStroke(page, [[0.5, 0.2], [0.5, 0.8]]);
    const erased = await inkOnPad(page);
    expect(erased).toBeLessThan(thick * 0.9);
    await page.click('#undo-btn');
    expect(await inkOnPad(page)).toBe(thick);
    await page.click('#undo-btn'); // before the thick line: the cleared pad
    expect(await inkOnPad(page)).toBe(0);
    await page.waitForFunction(() => !$ae('#draw-recon').dataset.filled);
    await page.click('#eraser-btn');

    await setRange(page, '#brush-size', 'PageDown');
    await drawStroke(page, ZERO);
    await page.waitForSelector('#draw-recon[data-filled="1"]');
    await page.click('#clear-btn');
    expect(await page.getAttribute('#draw-recon', 'data-filled')).toBeNull();
    expect(mean(await canvasPixels(page, '#model-input'))).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a test image is the model input exactly; image files are preprocessed like drawings', async () => {
    const { page, errors } = await openPlayground(browser);
    // Test image #3 is the first "0" of MNIST: the first probe shows the same pixels.
    await page.fill('#test-index', '3');
    await page.click('#test-show');
    await page.waitForFunction(() => $ae('#draw-source').textContent.startsWith('Test image #3'));
    expect(await page.textContent('#draw-source')).toBe('Test image #3 (0)');
    expect(await canvasPixels(page, '#model-input')).toEqual(await canvasPixels(page, '#probe-grid canvas[data-row="original"]'));
    await page.waitForSelector('#draw-recon[data-filled="1"]');

    // The random pick is named in the number box and shown (it may be #3 again: 1 in 10,000).
    await page.click('#clear-btn');
    expect(await page.textContent('#draw-source')).not.toMatch(/^Test image/);
    expect(await page.getAttribute('#draw-recon', 'data-filled')).toBeNull();
    await page.click('#test-random');
    await page.waitForFunction(() => {
      const i = $ae('#test-index').value;
      return new RegExp(`^Test image #${i} \\(\\d\\)$`).test($ae('#draw-source').textContent) && $ae('#draw-recon').dataset.filled === '1';
    });
    const picked = Number(await page.inputValue('#test-index'));
    expect(picked >= 0 && picked < 10_000 && Number.isInteger(picked)).toBe(true);

    // A photo-like PNG: a dark "7" on light grey paper, off-centre. It is inverted, cropped,
    // scaled and centred, so the model input is white ink on black with the ink in the middle.
    const png = await page.evaluate(async () => {
      const c = new OffscreenCanvas(240, 160);
      const ctx = c.getContext('2d');
      ctx.fillStyle = '#e8e8e8';
      ctx.fillRect(0, 0, 240, 160);
      ctx.strokeStyle = '#202020';
      ctx.lineWidth = 12;
      ctx.beginPath();
      ctx.moveTo(20, 20);
      ctx.lineTo(90, 20);
      ctx.lineTo(45, 140);
      ctx.stroke();
      const blob = await c.convertToBlob({ type: 'image/png' });
      return Array.from(new Uint8Array(await blob.arrayBuffer()));
    });
    await page.setInputFiles('#file-input', { name: 'seven.png', mimeType: 'image/png', buffer: Buffer.from(png) });
    await page.waitForFunction(() => $ae('#draw-source').textContent === 'Image file “seven.png”');
    const seven = await canvasPixels(page, '#model-input');
    expect(seven[0] + seven[27] + seven[27 * 28] + seven[28 * 28 - 1]).toBe(0);
    let cx = 0, cy = 0, m = 0;
    seven.forEach((v, i) => ((cx += v * (i % 28)), (cy += v * Math.floor(i / 28)), (m += v)));
    expect(Math.abs(cx / m - 14)).toBeLessThan(1.5);
    expect(Math.abs(cy / m - 14)).toBeLessThan(1.5);

    // A file that is not an image: a message, and the page keeps working.
    expectBanner(page, '“notes.png” could not be read as an image: the file may be damaged.', /is not a PNG or JPEG/, /^The test image number must be a whole number from 0 to 9999, got “12345”\.$/);
    await page.setInputFiles('#file-input', { name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('not really a png') });
    await page.waitForSelector('#error-banner:not([hidden])');
    expect(await page.textContent('#error-text')).toBe('“notes.png” could not be read as an image: the file may be damaged.');
    await page.setInputFiles('#file-input', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await page.waitForFunction(() => $ae('#error-text').textContent.includes('is not a PNG or JPEG'));
    expect(await page.textContent('#draw-source')).toBe('Image file “seven.png”');
    await page.fill('#test-index', '12345');
    await page.click('#test-show');
    await page.waitForFunction(() => $ae('#error-text').textContent.startsWith('The test image number must be a whole number from 0 to 9999'));
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the reconstruction follows the pen during a stroke, every move answered while training runs', async () => {
    const { page, errors } = await openPlayground(browser, { hash: '#widths=256' });
    await startTraining(page);
    await waitForSteps(page, 30);
    const box = await page.locator('#draw-pad').boundingBox();
    const at = ([fx, fy]) => [box.x + fx * box.width, box.y + fy * box.height];
    const seq = () => page.evaluate(() => Number($ae('#draw-recon').dataset.seq || 0));
    await page.mouse.move(...at(ONE[0]));
    await page.mouse.down();
    const inputs = [];
    for (let k = 1; k <= 12; k++) {
      const before = await seq();
      await page.mouse.move(...at([0.52 - k * 0.004, 0.18 + k * 0.05]));
      await page.waitForFunction((s) => Number($ae('#draw-recon').dataset.seq || 0) > s, before, { timeout: 5000, polling: 'raf' });
      if (k % 4 === 0) inputs.push(await canvasPixels(page, '#model-input'));
    }
    // Still holding the button: the input grew with the stroke and every move was answered.
    expect(await page.getAttribute('#draw-recon', 'data-filled')).toBe('1');
    expect(mean(inputs[2])).not.toBe(mean(inputs[0]));
    await page.mouse.up();
    // How fast it follows is a speed figure (npm run bench), not a timed assertion here.
    await screenshot(page, 'draw-while-training-desktop');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
