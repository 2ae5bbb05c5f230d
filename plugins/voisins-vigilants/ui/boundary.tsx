// The referent redraws their community's boundary (issue 11): a MapLibre map
// (background only, no tiles) where terra-draw moves the outline's points or
// draws a new outline, and next to it the same outline as a table of points
// that a keyboard user edits, so the whole feature works without the map.
// The server decides: a valid polygon, inside the commune, and no overlap with
// another community unless the referent confirms; it answers the new area and
// the addresses that changed community.
// Loaded lazily by the referent's desk: MapLibre and terra-draw stay in this chunk.
import { useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import {
  Button,
  Loading,
  Notice,
  errorCode,
  errorDetails,
  graphql,
  useErrorMessage,
  useI18n,
  useSession,
} from '@vigie/admin-ui/shell';
import {
  PolygonEditor,
  outerRing,
  pointsOf,
  polygonOf,
  rowsOf,
  type Pt,
  type PointRow,
} from '@vigie/admin-ui/map';

const SectorDocument = graphql(`
  query BoundarySector($id: ID!) {
    sector(id: $id) {
      id
      name
      geometry
      bbox
      areaM2
      addressCount
    }
  }
`);

const NeighboursDocument = graphql(`
  query BoundaryNeighbours {
    sectors {
      id
      name
      geometry
    }
  }
`);

const RedrawDocument = graphql(`
  mutation RedrawBoundary($communityId: ID!, $geometry: String!, $confirmOverlap: Boolean) {
    redrawCommunityBoundary(communityId: $communityId, geometry: $geometry, confirmOverlap: $confirmOverlap) {
      areaM2
      movedAddresses
      community {
        id
        name
      }
      overlaps {
        id
        name
      }
    }
  }
`);

export default function BoundaryEditor({ communityId }: { communityId: string }) {
  const { t } = useI18n();
  const errorMessage = useErrorMessage();
  const [{ data, error }] = useQuery({ query: SectorDocument, variables: { id: communityId } });
  // Other sectors are context only: when this referent may not read them, the map simply has none.
  const [{ data: all }] = useQuery({ query: NeighboursDocument });
  const neighbours = useMemo(
    () => (all?.sectors ?? []).filter((s) => s.id !== communityId),
    [all, communityId],
  );

  return (
    <section className="card" aria-labelledby="ref-boundary">
      <h2 id="ref-boundary">{t('vv.boundary.title')}</h2>
      {!data && !error ? <Loading /> : null}
      {error || (data && !data.sector) ? (
        <Notice kind="error">
          <p>{error ? errorMessage(error) : t('vv.boundary.notFound')}</p>
        </Notice>
      ) : null}
      {data?.sector ? (
        <Editor key={data.sector.id} communityId={communityId} sector={data.sector} neighbours={neighbours} />
      ) : null}
    </section>
  );
}

type Outcome =
  | { kind: 'success'; areaM2: number; moved: number; overlaps: string[] }
  | { kind: 'overlap'; names: string[] }
  | { kind: 'error'; text: string }
  | null;

function Editor(p: {
  communityId: string;
  sector: { id: string; name: string; geometry: string; bbox: number[] };
  neighbours: Array<{ id: string; name: string; geometry: string }>;
}) {
  const { t, locale } = useI18n();
  const { tenant } = useSession();
  const basemap = tenant?.basemap ?? 'none';
  const errorMessage = useErrorMessage();
  const initial = useMemo(() => outerRing(p.sector.geometry), [p.sector.geometry]);
  const [saved, setSaved] = useState<Pt[]>(initial.ring);
  const [rows, setRows] = useState<PointRow[]>(() => rowsOf(initial.ring));
  // Each reset puts the map's tools back to moving points.
  const [resets, setResets] = useState(0);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [formError, setFormError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [, redraw] = useMutation(RedrawDocument);
  const { points, valid: allValid } = pointsOf(rows);

  const changed = (next: PointRow[]) => {
    setOutcome(null);
    setFormError(undefined);
    setRows(next);
  };
  const reset = () => {
    changed(rowsOf(saved));
    setResets((n) => n + 1);
  };

  const save = async (confirmOverlap: boolean) => {
    if (!allValid) {
      setFormError(t('vv.boundary.fixPoints'));
      return;
    }
    if (points.length < 3) {
      setFormError(t('vv.boundary.tooFew'));
      return;
    }
    setFormError(undefined);
    setBusy(true);
    const r = await redraw({
      communityId: p.communityId,
      geometry: JSON.stringify(polygonOf(points)),
      confirmOverlap,
    });
    setBusy(false);
    if (r.error || !r.data) {
      if (errorCode(r.error) === 'SECTOR_OVERLAP') {
        const list = errorDetails(r.error)?.overlaps;
        const names = Array.isArray(list)
          ? list.map((o) => (o as { name?: unknown }).name).filter((n): n is string => typeof n === 'string')
          : [];
        setOutcome({ kind: 'overlap', names });
      } else {
        setOutcome({ kind: 'error', text: errorMessage(r.error) ?? t('vv.boundary.failed') });
      }
      return;
    }
    const done = r.data.redrawCommunityBoundary;
    setSaved(points);
    setOutcome({
      kind: 'success',
      areaM2: done.areaM2,
      moved: done.movedAddresses,
      overlaps: done.overlaps.map((o) => o.name),
    });
  };

  const km2 = (m2: number) =>
    new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'fr-FR', { maximumFractionDigits: 2 }).format(m2 / 1e6);
  const list = (names: string[]) =>
    new Intl.ListFormat(locale === 'en' ? 'en-GB' : 'fr-FR', { type: 'conjunction' }).format(
      names.map((n) => (locale === 'en' ? `“${n}”` : `« ${n} »`)),
    );

  return (
    <>
      <p className="hint">{t('vv.boundary.intro', { name: p.sector.name })}</p>
      {initial.simplified ? <p className="hint">{t('vv.boundary.simplified')}</p> : null}

      <PolygonEditor
        resets={resets}
        rows={rows}
        onChange={changed}
        mapLabel={t('vv.boundary.mapLabel', { name: p.sector.name })}
        bbox={p.sector.bbox}
        context={p.neighbours}
        basemap={basemap}
      />
      {p.neighbours.length > 0 ? (
        <p className="hint">
          {t('vv.boundary.neighbours', { names: list(p.neighbours.map((n) => n.name)) })}
        </p>
      ) : null}

      {formError ? (
        <p className="field-error" role="alert">
          {formError}
        </p>
      ) : null}
      <div className="btn-row">
        <Button isDisabled={busy} onPress={() => void save(false)}>
          {t('vv.boundary.save')}
        </Button>
        <Button variant="secondary" isDisabled={busy} onPress={reset}>
          {t('vv.boundary.reset')}
        </Button>
      </div>

      <div aria-live="polite">
        {outcome?.kind === 'success' ? (
          <Notice kind="success">
            <p>{t('vv.boundary.saved', { area: km2(outcome.areaM2) })}</p>
            <p>{t('vv.boundary.moved', { count: outcome.moved })}</p>
            {outcome.overlaps.length > 0 ? (
              <p>{t('vv.boundary.savedOverlaps', { names: list(outcome.overlaps) })}</p>
            ) : null}
          </Notice>
        ) : null}
        {outcome?.kind === 'error' ? (
          <Notice kind="error">
            <p>{t('vv.boundary.refused', { reason: outcome.text })}</p>
          </Notice>
        ) : null}
        {outcome?.kind === 'overlap' ? (
          <Notice kind="warning">
            <p>
              {outcome.names.length > 0
                ? t('vv.boundary.overlap', { names: list(outcome.names) })
                : t('vv.boundary.overlapUnnamed')}
            </p>
            <div className="btn-row">
              <Button variant="danger" isDisabled={busy} onPress={() => void save(true)}>
                {t('vv.boundary.saveAnyway')}
              </Button>
              <Button variant="secondary" onPress={() => setOutcome(null)}>
                {t('vv.boundary.cancel')}
              </Button>
            </div>
          </Notice>
        ) : null}
      </div>
    </>
  );
}
