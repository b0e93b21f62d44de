/** Offers a Blob as a download: an object URL on a temporary <a download>, revoked afterwards. */
export function downloadBlob(blob: Blob, name: string, parent: Element): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  // Inside the menu rather than document.body: the lab may live in a web component's shadow root.
  parent.append(link);
  link.click();
  link.remove();
  // The browser reads the blob after the click returns; revoking at once can cancel the download.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export const textBlob = (text: string, type: string) => new Blob([text], { type: `${type};charset=utf-8` });

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
