// Offers bytes or a Blob to the person as a file download (an <a download> clicked once).

/** Saves `data` (a Blob, or bytes saved as application/octet-stream) as `filename`. */
export function download(data, filename) {
  const blob = data instanceof Blob ? data : new Blob([data], { type: 'application/octet-stream' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
