// Offers bytes or a Blob to the person as a file download (an <a download> clicked once). The
// anchor is never attached: a view does not touch the document outside its root, and a host
// page (the element, the iframe) sees no stray node.

/** Saves `data` (a Blob, or bytes saved as application/octet-stream) as `filename`. */
export function download(data, filename) {
  const blob = data instanceof Blob ? data : new Blob([data], { type: 'application/octet-stream' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
