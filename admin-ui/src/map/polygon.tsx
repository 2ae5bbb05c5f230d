// A polygon drawn on a map and, next to it, the same outline as a table of
// points a keyboard user edits, so that drawing works without the map (RGAA:
// the map always has an equivalent). MapLibre shows the commune's sectors as
// context (Plan IGN tiles under them in production, a plain background offline
// and in tests); terra-draw moves the points or draws a new outline.
// Used by the referent's boundary editor and by the console's alert to a zone.
// Loaded lazily: MapLibre and terra-draw stay in the chunks of the pages that
// show a map.
import { useEffect, useId, useRef, useState } from 'react';
import type { GeoJSONSource, LngLatBoundsLike, Map as MapLibreMap } from 'maplibre-gl';
import type { TerraDraw } from 'terra-draw';
import { Button } from '../ds/index.js';
import { useI18n } from '../shell/i18n.js';
import { createMap } from './maplibre.js';

export { createMap, type MapLabels } from './maplibre.js';

export type Pt = [number, number];
export interface PointRow {
  lon: string;
  lat: string;
}

const COLOURS = { boundary: '#1f4fa3', others: '#5c5c6b' };

/** The outer ring of the outline, without its closing point (the largest part of a multipolygon). */
export function outerRing(geometryText: string): { ring: Pt[]; simplified: boolean } {
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

export function samePoint(a: Pt, b: Pt): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

export function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

export function fmt(n: number): string {
  return String(round(n));
}

/** A coordinate typed by a person: a decimal point or comma, within the range. */
export function parseCoord(text: string, max: number): number | null {
  const t = text.trim().replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) && Math.abs(n) <= max ? n : null;
}

export function polygonOf(points: Pt[]) {
  return { type: 'Polygon' as const, coordinates: [[...points, points[0]!]] };
}

export function keyOf(points: Pt[]): string {
  return JSON.stringify(points.map(([a, b]) => [round(a), round(b)]));
}

/** The rows' points when every coordinate parses, else `valid: false` (the table shows which). */
export function pointsOf(rows: PointRow[]): { points: Pt[]; valid: boolean } {
  const parsed = rows.map((r) => ({ lon: parseCoord(r.lon, 180), lat: parseCoord(r.lat, 90) }));
  const valid = parsed.every((c) => c.lon !== null && c.lat !== null);
  return { points: valid ? parsed.map((c) => [c.lon!, c.lat!] as Pt) : [], valid };
}

export function rowsOf(points: Pt[]): PointRow[] {
  return points.map(([lon, lat]) => ({ lon: fmt(lon), lat: fmt(lat) }));
}

/**
 * The outline's editor: the map's tools, the map, and the table of points.
 * Controlled: the caller keeps the rows (it saves or sends them) and is told
 * of every change, from the map or from the table.
 */
export function PolygonEditor(p: {
  rows: PointRow[];
  onChange(rows: PointRow[]): void;
  /** The map region's name, for screen readers. */
  mapLabel: string;
  /** Where the map opens: [minLon, minLat, maxLon, maxLat]. */
  bbox: number[];
  /** Shown as dashed context lines (other sectors). */
  context: Array<{ id: string; name: string; geometry: string }>;
  /** ign: Plan IGN tiles under the outlines; none: a plain background (offline, tests). */
  basemap: string;
  /** Start in drawing mode (nothing drawn yet). */
  startDrawing?: boolean;
  /** Changed by the caller when it resets the outline: the tools go back to moving points. */
  resets?: number;
}) {
  const { t } = useI18n();
  const uid = useId();
  const [mode, setMode] = useState<'select' | 'polygon'>(p.startDrawing ? 'polygon' : 'select');
  const focusNext = useRef<string | null>(null);
  const { points } = pointsOf(p.rows);
  const rows = p.rows;

  useEffect(() => {
    if (p.resets) setMode('select');
  }, [p.resets]);

  useEffect(() => {
    if (!focusNext.current) return;
    document.getElementById(focusNext.current)?.focus();
    focusNext.current = null;
  });

  const setCell = (i: number, field: keyof PointRow, value: string) =>
    p.onChange(rows.map((r, j) => (j === i ? { ...r, [field]: value } : r)));
  const addAfter = (i: number) => {
    const a = rows[i]!;
    const b = rows[(i + 1) % rows.length]!;
    const mid = (x: string, y: string, max: number) => {
      const u = parseCoord(x, max);
      const v = parseCoord(y, max);
      return u !== null && v !== null ? fmt((u + v) / 2) : x;
    };
    const next = { lon: mid(a.lon, b.lon, 180), lat: mid(a.lat, b.lat, 90) };
    p.onChange([...rows.slice(0, i + 1), next, ...rows.slice(i + 1)]);
    focusNext.current = `${uid}-lon-${i + 1}`;
  };
  const addPoint = () => {
    p.onChange([...rows, { lon: '', lat: '' }]);
    focusNext.current = `${uid}-lon-${rows.length}`;
  };
  const remove = (i: number) => {
    p.onChange(rows.filter((_, j) => j !== i));
    focusNext.current = `${uid}-lon-${Math.min(i, rows.length - 2)}`;
  };
  const errorFor = (i: number, field: keyof PointRow) => {
    const r = rows[i]!;
    if (field === 'lon' && parseCoord(r.lon, 180) === null) return t('map.badLon');
    if (field === 'lat' && parseCoord(r.lat, 90) === null) return t('map.badLat');
    return undefined;
  };

  return (
    <>
      <div className="btn-row" role="group" aria-label={t('map.tools')}>
        <Button
          variant={mode === 'select' ? 'primary' : 'secondary'}
          aria-pressed={mode === 'select'}
          onPress={() => setMode('select')}
        >
          {t('map.modeEdit')}
        </Button>
        <Button
          variant={mode === 'polygon' ? 'primary' : 'secondary'}
          aria-pressed={mode === 'polygon'}
          onPress={() => setMode('polygon')}
        >
          {t('map.modeDraw')}
        </Button>
      </div>
      <p className="hint">{mode === 'select' ? t('map.helpEdit') : t('map.helpDraw')}</p>

      <PolygonMap
        label={p.mapLabel}
        canvasLabel={t('map.canvas')}
        basemap={p.basemap}
        zoomIn={t('map.zoomIn')}
        zoomOut={t('map.zoomOut')}
        bbox={p.bbox}
        points={points}
        neighbours={p.context}
        mode={mode}
        onDrawn={(pts) => {
          p.onChange(rowsOf(pts));
          setMode('select');
        }}
        onEdited={(pts) => p.onChange(rowsOf(pts))}
      />

      <div className="table-wrap">
        <table className="boundary-points">
          <caption>{t('map.tableCaption', { count: rows.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('map.point')}</th>
              <th scope="col">{t('map.lon')}</th>
              <th scope="col">{t('map.lat')}</th>
              <th scope="col">{t('map.actions')}</th>
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
                        {t(field === 'lon' ? 'map.lonOf' : 'map.latOf', { n: i + 1 })}
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
                      {t('map.addAfter', { n: i + 1 })}
                    </Button>
                    <Button variant="quiet" isDisabled={rows.length <= 3} onPress={() => remove(i)}>
                      {t('map.remove', { n: i + 1 })}
                    </Button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length < 3 ? (
        <div className="btn-row">
          <Button variant="secondary" onPress={addPoint}>
            {t('map.addPoint')}
          </Button>
        </div>
      ) : null}
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
function PolygonMap(p: {
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
    const map = createMap({
      container: container.current!,
      basemap: p.basemap,
      sources: {
        others: { type: 'geojson', data: neighboursData(p.neighbours) },
        boundary: { type: 'geojson', data: boundaryData(p.points) },
      },
      layers: [
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
      view: {
        bounds: [
          [minLon, minLat],
          [maxLon, maxLat],
        ] as LngLatBoundsLike,
        padding: 32,
      },
      labels: { canvasLabel: p.canvasLabel, zoomIn: p.zoomIn, zoomOut: p.zoomOut },
    });
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
