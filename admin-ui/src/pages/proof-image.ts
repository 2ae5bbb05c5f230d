// A photo of a proof of address taken with a phone is often stored sideways
// with an EXIF orientation. Browsers apply that orientation when decoding
// (createImageBitmap's `imageOrientation: 'from-image'`); drawing the decoded
// bitmap into a canvas and re-encoding it gives an upright JPEG, and drops the
// EXIF block (GPS position included) on the way. PDFs are sent as they are.
export const PROOF_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export const MAX_PROOF_BYTES = 10 * 1024 * 1024;

export async function uprightImage(file: File): Promise<Blob> {
  if (file.type !== 'image/jpeg') return file;
  if (typeof createImageBitmap !== 'function') return file;
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  try {
    const canvas = document.createElement('canvas');
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
    const ctx = canvas.getContext('2d');
    if (!ctx) return file;
    ctx.drawImage(bitmap, 0, 0);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.9));
    return blob && blob.size <= MAX_PROOF_BYTES ? blob : file;
  } finally {
    bitmap.close();
  }
}
