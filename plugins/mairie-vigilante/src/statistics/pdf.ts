// The annual report's PDF, printed from its HTML page by the headless Chromium
// already in the stack (Debian's /usr/bin/chromium, or VIGIE_CHROMIUM). The
// page is set as content with no network: it needs nothing from outside.
export async function renderPdf(html: string): Promise<Buffer> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.VIGIE_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({
      format: 'A4',
      printBackground: true,
      margin: { top: '15mm', bottom: '15mm', left: '12mm', right: '12mm' },
      tagged: true,
      outline: true,
    });
  } finally {
    await browser.close();
  }
}
