// The annual report as a standalone, accessible HTML page (French): one table
// per section with its caption and headers, and a bar chart per section whose
// text equivalent is the table right above it. The PDF is this page printed by
// headless Chromium, so both say the same.
import { isMeasure, MASKED, type Report } from './report.js';

const MONTHS = Array.from({ length: 12 }, (_, m) =>
  new Intl.DateTimeFormat('fr-FR', { month: 'short', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2000, m, 1)),
  ),
);

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function chart(sectionId: string, title: string, monthly: Array<{ value: number | null; display: string }>) {
  const max = Math.max(1, ...monthly.map((m) => m.value ?? 0));
  const w = 36;
  const h = 120;
  const bars = monthly
    .map((m, i) => {
      const bh = m.value === null ? 0 : Math.round((m.value / max) * h);
      const x = 30 + i * w;
      return `<rect x="${x}" y="${10 + h - bh}" width="${w - 8}" height="${bh}" fill="#1d4f91"></rect>
<text x="${x + (w - 8) / 2}" y="${h + 24}" font-size="10" text-anchor="middle">${esc(MONTHS[i]!)}</text>
<text x="${x + (w - 8) / 2}" y="${6 + h - bh}" font-size="10" text-anchor="middle">${esc(m.display)}</text>`;
    })
    .join('\n');
  const id = `chart-${esc(sectionId)}`;
  return `<figure>
<svg role="img" aria-labelledby="${id}" viewBox="0 0 ${30 + 12 * w} ${h + 34}" width="100%" style="max-width:40rem">
<title id="${id}">${esc(title)} par mois (les chiffres sont dans le tableau ci-dessus)</title>
${bars}
</svg>
<figcaption>${esc(title)} par mois. Équivalent textuel : le tableau ci-dessus, colonnes des mois.</figcaption>
</figure>`;
}

export function reportHtml(r: Report, commune: string): string {
  const sections = r.sections
    .map((s) => {
      const rows = s.figures
        .map(
          (f) =>
            `<tr><th scope="row">${esc(f.label.fr)}${f.key.endsWith('Minutes') ? ' (minutes)' : ''}</th><td>${esc(f.display)}</td>${f.monthly
              .map((m) => `<td>${esc(m.display)}</td>`)
              .join('')}</tr>`,
        )
        .join('\n');
      const counts = s.figures.filter((f) => !isMeasure(f.key));
      const main = [...counts].sort((a, b) => (b.value ?? 0) - (a.value ?? 0))[0];
      return `<section aria-labelledby="s-${esc(s.id)}">
<h2 id="s-${esc(s.id)}">${esc(s.label.fr)}</h2>
<div class="table-wrap"><table>
<caption>${esc(s.label.fr)} : ${r.year} et chaque mois</caption>
<thead><tr><th scope="col">Indicateur</th><th scope="col">Année ${r.year}</th>${MONTHS.map((m) => `<th scope="col">${esc(m)}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody></table></div>
${main ? chart(s.id, main.label.fr, main.monthly) : ''}
</section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rapport annuel ${r.year} – ${esc(commune)}</title>
<style>
body { font-family: system-ui, sans-serif; color: #1b1b1f; margin: 1.5rem; line-height: 1.45; }
table { border-collapse: collapse; font-size: 0.85rem; }
th, td { border: 1px solid #767680; padding: 0.25rem 0.4rem; text-align: right; }
th[scope='row'] { text-align: left; }
caption { text-align: left; font-weight: 700; margin-bottom: 0.25rem; }
.table-wrap { overflow-x: auto; }
figure { margin: 1rem 0 2rem; }
@media print { .table-wrap { overflow: visible; } }
</style>
</head>
<body>
<main>
<h1>Rapport annuel ${r.year} de la vigilance citoyenne – ${esc(commune)}</h1>
<p>Chiffres du 1er janvier au 31 décembre ${r.year} (heure de Paris), calculés sur les données de la plateforme au moment de l’export.
Aucune donnée personnelle : des nombres seulement, et tout nombre inférieur à 5 est affiché « ${MASKED} ». Les durées sont en minutes.</p>
${sections || '<p>Aucune donnée pour cette année.</p>'}
</main>
</body>
</html>`;
}
