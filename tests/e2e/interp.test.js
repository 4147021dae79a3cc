// Panel 5, Interpolate: A and B (defaults, the Draw panel, a random test image, a map point),
// the animation with play/pause, a scrubber dragged with the mouse, speed, once / loop /
// ping-pong, straight or spherical paths, the path on the latent map (its A and B readable under
// the playhead), and the exports (a PNG strip and an animated GIF, read back byte by byte).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { decodeGif } from '../web/gif-decode.js';
import { ONE, canvasPixels, drawStroke, launch, mean, openPlayground, pauseTraining, screenshot, startTraining, waitForCanvasChange, waitForSteps } from './browser.js';

let browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const frame = (page) => page.evaluate(() => Number($ae('#interp-frame').dataset.frame));

describe('interpolation', () => {
  it('animates from A to B with play, pause, a draggable scrubber, speed, repeat and path shape', async () => {
    const { page, errors } = await openPlayground(browser, { hash: '#widths=256' });
    // A trained model makes the in-between frames worth looking at.
    await startTraining(page);
    await waitForSteps(page, 250);
    await pauseTraining(page);
    expect(await page.textContent('#interp-a-label')).toBe('Test image #3 (0)');
    expect(await page.textContent('#interp-b-label')).toBe('Test image #2 (1)');
    await page.waitForSelector('#interp-strip[data-filled="1"]');
    await page.waitForFunction(() => $ae('#latent-overlay').dataset.path === '48'); // the path, on the map
    expect(await frame(page)).toBe(0);

    await page.click('#interp-play');
    expect(await page.getAttribute('#interp-play', 'aria-pressed')).toBe('true');
    await page.waitForFunction(() => Number($ae('#interp-frame').dataset.frame) > 10);
    await page.click('#interp-play');
    expect(await page.textContent('#interp-play')).toBe('Play');
    const stopped = await frame(page);
    await page.waitForTimeout(300);
    expect(await frame(page)).toBe(stopped);

    // Drag the scrubber's thumb from the start to three quarters of the track.
    await page.locator('#interp-scrub').scrollIntoViewIfNeeded();
    await page.fill('#interp-scrub', '0');
    await page.dispatchEvent('#interp-scrub', 'input');
    const track = await page.locator('#interp-scrub').boundingBox();
    const y = track.y + track.height / 2;
    await page.mouse.move(track.x + 8, y);
    await page.mouse.down();
    for (let k = 1; k <= 10; k++) await page.mouse.move(track.x + 8 + ((track.width - 16) * 0.75 * k) / 10, y);
    await page.mouse.up();
    const f = await frame(page);
    expect(Math.abs(f - 35)).toBeLessThanOrEqual(2); // 0.75 of 47 frames
    expect(await page.getAttribute('#interp-scrub', 'aria-valuetext')).toMatch(/^(7[3-7])% of the way from A to B$/);
    const atThreeQuarters = await canvasPixels(page, '#interp-frame');

    // Once, at double speed: plays to B and stops there.
    await page.selectOption('#interp-mode', 'once');
    await page.selectOption('#interp-speed', '2');
    await page.click('#interp-play');
    await page.waitForFunction(() => $ae('#interp-play').getAttribute('aria-pressed') === 'false', null, { timeout: 5000 });
    expect(await frame(page)).toBe(47);
    expect(await canvasPixels(page, '#interp-frame')).not.toEqual(atThreeQuarters);

    // A spherical path gives other frames between the same ends.
    const strip = await canvasPixels(page, '#interp-strip');
    await page.selectOption('#interp-path', 'spherical');
    await waitForCanvasChange(page, '#interp-strip', strip);
    await screenshot(page, 'interpolation-desktop');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('keeps the letters A and B readable on the map while the playhead stands on them', async () => {
    const { page, errors } = await openPlayground(browser);
    await page.locator('#latent-overlay').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => $ae('#latent-overlay').dataset.ends);
    // The pixels within 3 px of A's centre, where the playhead stands at the start: the badge's
    // white letter on its dark disc, not the playhead's blue dot over it (as it was).
    const near = (end) =>
      page.evaluate((k) => {
        const c = $ae('#latent-overlay');
        const [x, y] = c.dataset.ends.split(' ').map(Number).slice(2 * k, 2 * k + 2);
        const s = c.width / c.clientWidth;
        const d = c.getContext('2d').getImageData(Math.round((x - 3) * s), Math.round((y - 3) * s), Math.round(6 * s), Math.round(6 * s)).data;
        const px = [];
        for (let i = 0; i < d.length; i += 4) px.push([d[i], d[i + 1], d[i + 2], d[i + 3]]);
        return { white: px.filter(([r, g, b, a]) => a > 200 && r > 200 && g > 200 && b > 200).length, blue: px.filter(([r, g, b, a]) => a > 200 && b > 120 && r < 60).length };
      }, end);
    const a = await near(0);
    expect(a.white).toBeGreaterThan(0);
    expect(a.blue).toBe(0);
    // At the end of the path, B's letter stays readable the same way.
    await page.locator('#interp-scrub').scrollIntoViewIfNeeded();
    await page.fill('#interp-scrub', '1000');
    await page.dispatchEvent('#interp-scrub', 'input');
    await page.waitForTimeout(300);
    const b = await near(1);
    expect(b.white).toBeGreaterThan(0);
    expect(b.blue).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('takes A and B from the Draw panel, a random test image, or the latent map', async () => {
    const { page, errors } = await openPlayground(browser);
    expect(await page.isDisabled('#interp-a-draw')).toBe(true);
    await drawStroke(page, ONE);
    await page.waitForSelector('#draw-recon[data-filled="1"]');
    await page.click('#interp-a-draw');
    await page.waitForFunction(() => $ae('#interp-a-label').textContent === 'Your drawing');
    expect(await canvasPixels(page, '#interp-a')).toEqual(await canvasPixels(page, '#model-input'));
    await page.click('#interp-b-random');
    await page.waitForFunction(() => /^Test image #\d+ \(\d\)$/.test($ae('#interp-b-label').textContent) && $ae('#interp-b-label').textContent !== 'Test image #2 (1)');
    await page.locator('#latent-overlay').scrollIntoViewIfNeeded();
    const box = await page.locator('#latent-overlay').boundingBox();
    await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5);
    await page.waitForFunction(() => $ae('#map-caption').textContent.startsWith('Picked: '));
    await page.click('#map-use-a');
    await page.waitForFunction(() => $ae('#interp-a-label').textContent === $ae('#map-caption').textContent.replace('Picked: ', ''));
    expect(mean(await canvasPixels(page, '#interp-a'))).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('exports the frames as a PNG strip and as a looping animated GIF', async () => {
    const { page, errors } = await openPlayground(browser, { acceptDownloads: true });
    await page.waitForSelector('#interp-strip[data-filled="1"]');
    const [png] = await Promise.all([page.waitForEvent('download'), page.click('#interp-png')]);
    expect(png.suggestedFilename()).toBe('interpolation-strip.png');
    const pngBytes = readFileSync(await png.path());
    expect(Array.from(pngBytes.subarray(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    expect(pngBytes.readUInt32BE(16)).toBe(10 * 28 * 4); // IHDR width: ten frames at 4×
    expect(pngBytes.readUInt32BE(20)).toBe(28 * 4);

    const [gif] = await Promise.all([page.waitForEvent('download'), page.click('#interp-gif')]);
    expect(gif.suggestedFilename()).toBe('interpolation.gif');
    const g = decodeGif(new Uint8Array(readFileSync(await gif.path())));
    expect([g.width, g.height, g.loops]).toEqual([112, 112, 0]);
    expect(g.frames.length).toBe(48 + 46); // ping-pong: there and back without repeating the ends
    expect(g.frames[0].delayCs).toBe(5); // 2.4 s over 47 steps
    // The first frame is A's reconstruction, the 48th B's, and the way back mirrors the way there.
    expect(Array.from(g.frames[1].indices)).toEqual(Array.from(g.frames[93].indices));
    expect(Array.from(g.frames[0].indices)).not.toEqual(Array.from(g.frames[47].indices));
    await page.fill('#interp-scrub', '0');
    await page.dispatchEvent('#interp-scrub', 'input');
    const first = await canvasPixels(page, '#interp-frame');
    const down = Array.from({ length: 784 }, (_, i) => g.frames[0].indices[Math.floor(i / 28) * 4 * 112 + (i % 28) * 4]);
    expect(down).toEqual(first);
    await page.waitForFunction(() => $ae('#live-status').textContent.startsWith('Animated GIF saved: 94 frames.'));
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('with reduced motion, the animation plays once, slowly, and only when asked', async () => {
    const { page } = await openPlayground(browser, { reducedMotion: 'reduce' });
    expect(await page.inputValue('#interp-mode')).toBe('once');
    expect(await page.inputValue('#interp-speed')).toBe('0.5');
    await page.waitForSelector('#interp-strip[data-filled="1"]');
    await page.waitForTimeout(500);
    expect(await frame(page)).toBe(0);
    expect(await page.getAttribute('#interp-play', 'aria-pressed')).toBe('false');
    expect(await page.evaluate(() => getComputedStyle($ae('button')).transitionDuration)).toBe('0s');
    await page.context().close();
  });
});
