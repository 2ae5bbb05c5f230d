// The zone of an alert down, drawn on the commune's map or typed as a table
// of points (the map always has that equivalent). Loaded only when the sender
// chooses « une zone dessinée »: MapLibre and terra-draw stay in this chunk.
import { useMemo } from 'react';
import { useI18n, useSession } from '@vigie/admin-ui/shell';
import { PolygonEditor, pointsOf, polygonOf, type PointRow } from '@vigie/admin-ui/map';

export interface AreaSector {
  id: string;
  name: string;
  geometry: string;
  bbox: number[];
}

export default function AreaField(p: {
  rows: PointRow[];
  /** The rows, and the zone as GeoJSON when they make one (null otherwise). */
  onChange(rows: PointRow[], area: string | null): void;
  sectors: AreaSector[];
  error?: string;
}) {
  const { t } = useI18n();
  const { tenant } = useSession();
  // The map opens on the whole commune: the union of its sectors' boxes.
  const bbox = useMemo(() => {
    const boxes = p.sectors.map((s) => s.bbox).filter((b) => b.length === 4);
    if (boxes.length === 0) return [2.2, 48.8, 2.5, 48.9];
    return [
      Math.min(...boxes.map((b) => b[0]!)),
      Math.min(...boxes.map((b) => b[1]!)),
      Math.max(...boxes.map((b) => b[2]!)),
      Math.max(...boxes.map((b) => b[3]!)),
    ];
  }, [p.sectors]);
  const changed = (rows: PointRow[]) => {
    const { points, valid } = pointsOf(rows);
    p.onChange(rows, valid && points.length >= 3 ? JSON.stringify(polygonOf(points)) : null);
  };
  return (
    <fieldset id="field-area" className="mv-area">
      <legend>{t('mv.compose.area')}</legend>
      <p className="hint">{t('mv.compose.areaHint')}</p>
      {p.error ? (
        <p className="field-error" id="field-area-error">
          {p.error}
        </p>
      ) : null}
      <PolygonEditor
        rows={p.rows}
        onChange={changed}
        mapLabel={t('mv.compose.areaMap')}
        bbox={bbox}
        context={p.sectors}
        basemap={tenant?.basemap ?? 'none'}
        startDrawing={p.rows.length === 0}
      />
    </fieldset>
  );
}
