// The referent redraws their community's boundary (issue 11): a MapLibre map
// (background only, no tiles) where terra-draw moves the outline's points or
// draws a new outline, and next to it the same outline as a table of points
// that a keyboard user edits, so the whole feature works without the map.
// The server decides: a valid polygon, inside the commune, and no overlap with
// another community unless the referent confirms; it answers the new area and
// the addresses that changed community.
// Loaded lazily by the referent's desk: MapLibre and terra-draw stay in this chunk.
import 'maplibre-gl/dist/maplibre-gl.css';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import {
  Map as MapLibreMap,
  NavigationControl,
  setWorkerUrl,
  type GeoJSONSource,
  type LngLatBoundsLike,
  type StyleSpecification,
} from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import type { TerraDraw } from 'terra-draw';
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

// MapLibre 6 does not find its worker by itself in a Vite build (GeoJSON layers stay blank).
setWorkerUrl(workerUrl);

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

type Pt = [number, number];
interface Row {
  lon: string;
  lat: string;
}

const COLOURS = { boundary: '#1f4fa3', others: '#5c5c6b', background: '#f3f3ee' };

/** The outer ring of the outline, without its closing point (the largest part of a multipolygon). */
function outerRing(geometryText: string): { ring: Pt[]; simplified: boolean } {
  try {
    const g = JSON.parse(geometryText) as { type?: string; coordinates?: unknown };
    let polygons: Pt[][][] = [];
    if (g.type === 'Polygon') polygons = [g.coordinates as Pt[][]];
    else if (g.type === 'MultiPolygon') polygons = g.coordinates as Pt[][][];
    const main = [...polygons].sort((a, b) => (b[0]?.length ?? 0) - (a[0]?.length ?? 0))[0];
    const ring = (main?.[0] ?? []).map(([lon, lat]) => [round(lon), round(lat)] as Pt);
    if (ring.length > 1 && samePoint(ring[0]!, ring[ring.length - 1]!)) ring.pop();
    return { ring, simplified: polygons.length > 1 || (main?.length ?? 0) > 1 };
  } catch {
    return { ring: [], simplified: false };
  }
}

function samePoint(a: Pt, b: Pt): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

function fmt(n: number): string {
  return String(round(n));
}

/** A coordinate typed by a person: a decimal point or comma, within the range. */
function parseCoord(text: string, max: number): number | null {
  const t = text.trim().replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) && Math.abs(n) <= max ? n : null;
}

function polygonOf(points: Pt[]) {
  return { type: 'Polygon' as const, coordinates: [[...points, points[0]!]] };
}

function keyOf(points: Pt[]): string {
  return JSON.stringify(points.map(([a, b]) => [round(a), round(b)]));
}

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
  const uid = useId();
  const initial = useMemo(() => outerRing(p.sector.geometry), [p.sector.geometry]);
  const [saved, setSaved] = useState<Pt[]>(initial.ring);
  const [rows, setRows] = useState<Row[]>(() =>
    initial.ring.map(([lon, lat]) => ({ lon: fmt(lon), lat: fmt(lat) })),
  );
  const [mode, setMode] = useState<'select' | 'polygon'>('select');
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [formError, setFormError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [, redraw] = useMutation(RedrawDocument);
  const focusNext = useRef<string | null>(null);

  const parsed = rows.map((r) => ({ lon: parseCoord(r.lon, 180), lat: parseCoord(r.lat, 90) }));
  const allValid = parsed.every((c) => c.lon !== null && c.lat !== null);
  const points: Pt[] = useMemo(
    () => (allValid ? parsed.map((c) => [c.lon!, c.lat!] as Pt) : []),
    [JSON.stringify(rows)],
  );

  useEffect(() => {
    if (!focusNext.current) return;
    document.getElementById(focusNext.current)?.focus();
    focusNext.current = null;
  });

  const edited = () => {
    setOutcome(null);
    setFormError(undefined);
  };
  const setCell = (i: number, field: keyof Row, value: string) => {
    edited();
    setRows((rs) => rs.map((r, j) => (j === i ? { ...r, [field]: value } : r)));
  };
  const fromMap = (pts: Pt[]) => {
    edited();
    setRows(pts.map(([lon, lat]) => ({ lon: fmt(lon), lat: fmt(lat) })));
  };
  const addAfter = (i: number) => {
    edited();
    setRows((rs) => {
      const a = rs[i]!;
      const b = rs[(i + 1) % rs.length]!;
      const mid = (x: string, y: string, max: number) => {
        const u = parseCoord(x, max);
        const v = parseCoord(y, max);
        return u !== null && v !== null ? fmt((u + v) / 2) : x;
      };
      const next = { lon: mid(a.lon, b.lon, 180), lat: mid(a.lat, b.lat, 90) };
      return [...rs.slice(0, i + 1), next, ...rs.slice(i + 1)];
    });
    focusNext.current = `${uid}-lon-${i + 1}`;
  };
  const remove = (i: number) => {
    edited();
    setRows((rs) => rs.filter((_, j) => j !== i));
    focusNext.current = `${uid}-lon-${Math.min(i, rows.length - 2)}`;
  };
  const reset = () => {
    edited();
    setMode('select');
    setRows(saved.map(([lon, lat]) => ({ lon: fmt(lon), lat: fmt(lat) })));
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
  const errorFor = (i: number, field: keyof Row) => {
    const c = parsed[i]!;
    if (field === 'lon' && c.lon === null) return t('vv.boundary.badLon');
    if (field === 'lat' && c.lat === null) return t('vv.boundary.badLat');
    return undefined;
  };

  return (
    <>
      <p className="hint">{t('vv.boundary.intro', { name: p.sector.name })}</p>
      {initial.simplified ? <p className="hint">{t('vv.boundary.simplified')}</p> : null}

      <div className="btn-row" role="group" aria-label={t('vv.boundary.tools')}>
        <Button
          variant={mode === 'select' ? 'primary' : 'secondary'}
          aria-pressed={mode === 'select'}
          onPress={() => setMode('select')}
        >
          {t('vv.boundary.modeEdit')}
        </Button>
        <Button
          variant={mode === 'polygon' ? 'primary' : 'secondary'}
          aria-pressed={mode === 'polygon'}
          onPress={() => setMode('polygon')}
        >
          {t('vv.boundary.modeDraw')}
        </Button>
      </div>
      <p className="hint">{mode === 'select' ? t('vv.boundary.helpEdit') : t('vv.boundary.helpDraw')}</p>

      <BoundaryMap
        label={t('vv.boundary.mapLabel', { name: p.sector.name })}
        canvasLabel={t('vv.boundary.canvas')}
        basemap={basemap}
        zoomIn={t('vv.boundary.zoomIn')}
        zoomOut={t('vv.boundary.zoomOut')}
        bbox={p.sector.bbox}
        points={points}
        neighbours={p.neighbours}
        mode={mode}
        onDrawn={(pts) => {
          fromMap(pts);
          setMode('select');
        }}
        onEdited={fromMap}
      />
      {p.neighbours.length > 0 ? (
        <p className="hint">
          {t('vv.boundary.neighbours', { names: list(p.neighbours.map((n) => n.name)) })}
        </p>
      ) : null}

      <div className="table-wrap">
        <table className="boundary-points">
          <caption>{t('vv.boundary.tableCaption', { count: rows.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('vv.boundary.point')}</th>
              <th scope="col">{t('vv.boundary.lon')}</th>
              <th scope="col">{t('vv.boundary.lat')}</th>
              <th scope="col">{t('vv.boundary.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                <th scope="row">{i + 1}</th>
                {(['lon', 'lat'] as const).map((field) => {
                  const id = `${uid}-${field}-${i}`;
                  const err = errorFor(i, field);
                  return (
                    <td key={field}>
                      <label className="visually-hidden" htmlFor={id}>
                        {t(field === 'lon' ? 'vv.boundary.lonOf' : 'vv.boundary.latOf', { n: i + 1 })}
                      </label>
                      <input
                        id={id}
                        className="coord-input"
                        type="text"
                        inputMode="decimal"
                        autoComplete="off"
                        spellCheck={false}
                        size={11}
                        value={r[field]}
                        aria-invalid={err ? true : undefined}
                        aria-describedby={err ? `${id}-err` : undefined}
                        onChange={(e) => setCell(i, field, e.target.value)}
                      />
                      {err ? (
                        <span id={`${id}-err`} className="field-error">
                          {err}
                        </span>
                      ) : null}
                    </td>
                  );
                })}
                <td>
                  <div className="btn-row">
                    <Button variant="secondary" onPress={() => addAfter(i)}>
                      {t('vv.boundary.addAfter', { n: i + 1 })}
                    </Button>
                    <Button variant="quiet" isDisabled={rows.length <= 3} onPress={() => remove(i)}>
                      {t('vv.boundary.remove', { n: i + 1 })}
                    </Button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

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

function featureCollection(features: Array<{ geometry: unknown; properties?: Record<string, unknown> }>) {
  return {
    type: 'FeatureCollection' as const,
    features: features.map((f) => ({
      type: 'Feature' as const,
      properties: f.properties ?? {},
      geometry: f.geometry,
    })),
  } as GeoJSON.FeatureCollection;
}

/** The map: other sectors as thin lines, this outline as fill and line, terra-draw to edit it. */
/** Plan IGN (Géoplateforme WMTS, no key, Licence Ouverte): the production background. */
const IGN_TILES =
  'https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2' +
  '&STYLE=normal&TILEMATRIXSET=PM&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&FORMAT=image/png';

function BoundaryMap(p: {
  label: string;
  canvasLabel: string;
  /** ign: Plan IGN tiles under the outlines; none: a plain background (offline, tests). */
  basemap: string;
  zoomIn: string;
  zoomOut: string;
  bbox: number[];
  points: Pt[];
  neighbours: Array<{ id: string; name: string; geometry: string }>;
  mode: 'select' | 'polygon';
  onDrawn(points: Pt[]): void;
  onEdited(points: Pt[]): void;
}) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const drawRef = useRef<TerraDraw | null>(null);
  const featureId = useRef<string | number | null>(null);
  const pushing = useRef(false);
  const lastFromMap = useRef<string>('');
  const latest = useRef(p);
  latest.current = p;

  const boundaryData = (points: Pt[]) =>
    featureCollection(points.length >= 3 ? [{ geometry: polygonOf(points) }] : []);
  const neighboursData = (ns: typeof p.neighbours) =>
    featureCollection(
      ns.flatMap((n) => {
        try {
          return [{ geometry: JSON.parse(n.geometry) as unknown, properties: { name: n.name } }];
        } catch {
          return [];
        }
      }),
    );

  /** Puts the outline into terra-draw (after a change from the table, a reset, or at start). */
  const push = (points: Pt[]) => {
    const draw = drawRef.current;
    if (!draw) return;
    pushing.current = true;
    try {
      if (featureId.current !== null && draw.getSnapshotFeature(featureId.current)) {
        draw.removeFeatures([featureId.current]);
      }
      featureId.current = null;
      if (points.length < 3) return;
      const [result] = draw.addFeatures([
        { type: 'Feature', geometry: polygonOf(points), properties: { mode: 'polygon' } },
      ]);
      if (result?.valid) {
        featureId.current = result.id as string | number;
        if (latest.current.mode === 'select') draw.selectFeature(result.id as string | number);
      }
    } finally {
      pushing.current = false;
    }
  };

  const ringOf = (id: string | number): Pt[] | null => {
    const f = drawRef.current?.getSnapshotFeature(id);
    if (!f || f.geometry.type !== 'Polygon') return null;
    const ring = (f.geometry.coordinates[0] ?? []).map(([lon, lat]) => [round(lon!), round(lat!)] as Pt);
    if (ring.length > 1 && samePoint(ring[0]!, ring[ring.length - 1]!)) ring.pop();
    return ring;
  };

  useEffect(() => {
    const [minLon, minLat, maxLon, maxLat] = p.bbox;
    const style: StyleSpecification = {
      version: 8,
      sources: {
        ...(p.basemap === 'ign'
          ? { ign: { type: 'raster' as const, tiles: [IGN_TILES], tileSize: 256, attribution: '© IGN' } }
          : {}),
        others: { type: 'geojson', data: neighboursData(p.neighbours) },
        boundary: { type: 'geojson', data: boundaryData(p.points) },
      },
      layers: [
        { id: 'background', type: 'background', paint: { 'background-color': COLOURS.background } },
        ...(p.basemap === 'ign' ? [{ id: 'ign', type: 'raster' as const, source: 'ign' }] : []),
        {
          id: 'others-line',
          type: 'line',
          source: 'others',
          paint: { 'line-color': COLOURS.others, 'line-width': 1, 'line-dasharray': [3, 2] },
        },
        {
          id: 'boundary-fill',
          type: 'fill',
          source: 'boundary',
          paint: { 'fill-color': COLOURS.boundary, 'fill-opacity': 0.12 },
        },
        {
          id: 'boundary-line',
          type: 'line',
          source: 'boundary',
          paint: { 'line-color': COLOURS.boundary, 'line-width': 2 },
        },
      ],
    };
    const map = new MapLibreMap({
      container: container.current!,
      style,
      bounds: [
        [minLon, minLat],
        [maxLon, maxLat],
      ] as LngLatBoundsLike,
      fitBoundsOptions: { padding: 32 },
      attributionControl: p.basemap === 'ign' ? { compact: false } : false,
      locale: {
        'Map.Title': p.canvasLabel,
        'NavigationControl.ZoomIn': p.zoomIn,
        'NavigationControl.ZoomOut': p.zoomOut,
      },
    });
    map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    mapRef.current = map;
    let draw: TerraDraw | null = null;
    let gone = false;
    // terra-draw comes in a chunk of its own, while the map draws.
    const editing = Promise.all([import('terra-draw'), import('terra-draw-maplibre-gl-adapter')]);
    map.on('load', async () => {
      const [{ TerraDraw, TerraDrawPolygonMode, TerraDrawSelectMode }, { TerraDrawMapLibreGLAdapter }] =
        await editing;
      if (gone) return;
      draw = new TerraDraw({
        adapter: new TerraDrawMapLibreGLAdapter({ map }),
        modes: [
          new TerraDrawSelectMode({
            flags: {
              polygon: {
                feature: {
                  draggable: true,
                  coordinates: { midpoints: true, draggable: true, deletable: true },
                },
              },
            },
          }),
          new TerraDrawPolygonMode(),
        ],
      });
      drawRef.current = draw;
      draw.on('ready', () => {
        draw!.setMode(latest.current.mode);
        push(latest.current.points);
      });
      draw.on('change', (ids, type) => {
        if (pushing.current || type !== 'update') return;
        const id = featureId.current;
        if (id === null || !ids.includes(id) || latest.current.mode !== 'select') return;
        const ring = ringOf(id);
        if (!ring || ring.length < 3) return;
        const key = keyOf(ring);
        if (key === lastFromMap.current || key === keyOf(latest.current.points)) return;
        lastFromMap.current = key;
        latest.current.onEdited(ring);
      });
      draw.on('finish', (id, context) => {
        if (pushing.current || context.mode !== 'polygon') return;
        const ring = ringOf(id);
        if (!ring || ring.length < 3) return;
        // The new outline replaces the old one.
        pushing.current = true;
        try {
          if (featureId.current !== null && featureId.current !== id)
            draw!.removeFeatures([featureId.current]);
        } finally {
          pushing.current = false;
        }
        featureId.current = id;
        lastFromMap.current = keyOf(ring);
        latest.current.onDrawn(ring);
      });
      draw.start();
    });
    return () => {
      gone = true;
      draw?.stop();
      drawRef.current = null;
      mapRef.current = null;
      map.remove();
    };
    // The map is made once; later changes reach it through the effects below.
  }, []);

  // This outline, from the table (or a reset): redraw both layers unless the change came from the map.
  const key = keyOf(p.points);
  useEffect(() => {
    const map = mapRef.current;
    void (map?.getSource('boundary') as GeoJSONSource | undefined)?.setData(boundaryData(p.points));
    if (key !== lastFromMap.current) push(p.points);
    lastFromMap.current = key;
  }, [key]);

  useEffect(() => {
    void (mapRef.current?.getSource('others') as GeoJSONSource | undefined)?.setData(
      neighboursData(p.neighbours),
    );
  }, [p.neighbours]);

  useEffect(() => {
    const draw = drawRef.current;
    if (!draw?.enabled) return;
    draw.setMode(p.mode);
    if (p.mode === 'select' && featureId.current !== null) {
      pushing.current = true;
      try {
        draw.selectFeature(featureId.current);
      } finally {
        pushing.current = false;
      }
    }
  }, [p.mode]);

  return <div ref={container} className="map boundary-map" role="region" aria-label={p.label} />;
}
