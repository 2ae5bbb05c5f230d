// Statistics and the annual report: for a chosen year, every section the
// server computes (the core's alerts, and each enabled plugin that contributes
// counts), as tables with headers and, per section, a chart whose text
// equivalent is the table itself. Counts below 5 come masked from the server.
// The report downloads as HTML, CSV or PDF.
import { useState } from 'react';
import { useQuery } from 'urql';
import { Loading, Notice, Page, graphql, useErrorMessage, useI18n } from '@vigie/admin-ui/shell';
import { Select } from './select.js';
import './console.css';

const StatisticsDocument = graphql(`
  query ConsoleStatistics($year: Int!) {
    consoleStatistics(year: $year) {
      year
      htmlUrl
      csvUrl
      pdfUrl
      sections {
        id
        label
        labelEn
        figures {
          key
          label
          labelEn
          value
          display
          measure
          monthly {
            value
            display
          }
        }
      }
    }
  }
`);

function monthNames(locale: string): string[] {
  return Array.from({ length: 12 }, (_, m) =>
    new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'fr-FR', { month: 'short', timeZone: 'UTC' }).format(
      new Date(Date.UTC(2000, m, 1)),
    ),
  );
}

function Bars(p: {
  title: string;
  tableId: string;
  monthly: Array<{ value?: number | null; display: string }>;
  months: string[];
}) {
  const max = Math.max(1, ...p.monthly.map((m) => m.value ?? 0));
  const w = 36;
  const h = 110;
  return (
    <figure className="mv-chart">
      <svg
        viewBox={`0 0 ${12 * w + 10} ${h + 34}`}
        role="img"
        aria-label={p.title}
        aria-describedby={p.tableId}
      >
        {p.monthly.map((m, i) => {
          const bh = m.value == null ? 0 : Math.round((m.value / max) * h);
          const x = 5 + i * w;
          return (
            <g key={i}>
              <rect x={x} y={10 + h - bh} width={w - 8} height={bh} fill="currentColor" />
              <text x={x + (w - 8) / 2} y={h + 26} fontSize="10" textAnchor="middle">
                {p.months[i]}
              </text>
              <text x={x + (w - 8) / 2} y={6 + h - bh} fontSize="10" textAnchor="middle">
                {m.display}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

export default function StatisticsPage() {
  const { t, locale } = useI18n();
  const errorMessage = useErrorMessage();
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(String(thisYear));
  const [{ data, error, fetching }] = useQuery({
    query: StatisticsDocument,
    variables: { year: Number(year) },
  });
  const stats = data?.consoleStatistics;
  const months = monthNames(locale);
  const years = Array.from({ length: thisYear - 2019 }, (_, i) => String(thisYear - i));

  return (
    <Page title={t('mv.stats.title')} intro={<p>{t('mv.stats.intro')}</p>}>
      <Select
        label={t('mv.stats.year')}
        value={year}
        onChange={setYear}
        options={years.map((y) => ({ value: y, label: y }))}
      />
      {error ? (
        <Notice kind="error" role="alert">
          <p>{errorMessage(error)}</p>
        </Notice>
      ) : null}
      {!stats && fetching ? <Loading /> : null}
      {stats ? (
        <>
          <section className="card" aria-labelledby="mv-report">
            <h2 id="mv-report">{t('mv.stats.report', { year: stats.year })}</h2>
            <p>{t('mv.stats.reportIntro')}</p>
            <ul className="btn-row mv-downloads">
              <li>
                <a className="btn" href={stats.htmlUrl}>
                  {t('mv.stats.html')}
                </a>
              </li>
              <li>
                <a className="btn secondary" href={stats.csvUrl} download>
                  {t('mv.stats.csv')}
                </a>
              </li>
              <li>
                <a className="btn secondary" href={stats.pdfUrl} download>
                  {t('mv.stats.pdf')}
                </a>
              </li>
            </ul>
          </section>
          {stats.sections.length === 0 ? <p>{t('mv.stats.none')}</p> : null}
          {stats.sections.map((s) => {
            const tableId = `mv-table-${s.id}`;
            const counts = s.figures.filter((f) => !f.measure);
            const main = [...counts].sort((a, b) => (b.value ?? 0) - (a.value ?? 0))[0];
            const label = locale === 'en' ? s.labelEn : s.label;
            return (
              <section key={s.id} aria-labelledby={`mv-s-${s.id}`} className="mv-stats-section">
                <h2 id={`mv-s-${s.id}`}>{label}</h2>
                <div className="table-wrap">
                  <table id={tableId}>
                    <caption>{t('mv.stats.caption', { section: label, year: stats.year })}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('mv.stats.figure')}</th>
                        <th scope="col">{stats.year}</th>
                        {months.map((m) => (
                          <th scope="col" key={m}>
                            {m}
                          </th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {s.figures.map((f) => (
                        <tr key={f.key}>
                          <th scope="row">
                            {locale === 'en' ? f.labelEn : f.label}
                            {f.key.endsWith('Minutes') ? ` (${t('mv.stats.minutes')})` : ''}
                          </th>
                          <td>{f.display}</td>
                          {f.monthly.map((m, i) => (
                            <td key={i}>{m.display}</td>
                          ))}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                {main ? (
                  <Bars
                    title={t('mv.stats.chart', { figure: locale === 'en' ? main.labelEn : main.label })}
                    tableId={tableId}
                    monthly={main.monthly}
                    months={months}
                  />
                ) : null}
              </section>
            );
          })}
        </>
      ) : null}
    </Page>
  );
}
