// The console's map: the commune's sectors as outlines and the alerts as pins,
// over the background every map of Vigie shares (@vigie/admin-ui/map).
// Only geojson sources with fill, line and circle layers: a symbol layer would
// need glyphs from a server. The map is opaque to screen readers; the list
// beside it says the same (RGAA 1.1, 7.1).
import { useEffect, useRef } from 'react';
import type { GeoJSONSource, LngLatBoundsLike, Map as MapLibreMap } from 'maplibre-gl';
import { createMap } from '@vigie/admin-ui/map';

const COLOURS = {
  sector: '#1f4fa3',
  urgent: '#b3261e',
  important: '#8a4b00',
  info: '#1f4fa3',
  selected: '#111111',
};

export interface Pin {
  id: string;
  lon: number;
  lat: number;
  severity: string;
  /** Placed at its sector's centre: the alert had no position of its own. */
  approximate: boolean;
}

export interface SectorShape {
  id: string;
  name: string;
  geometry: string;
  bbox: number[];
}

function sectorsData(sectors: SectorShape[]) {
  return {
    type: 'FeatureCollection' as const,
    features: sectors.flatMap((s) => {
      try {
        return [
          { type: 'Feature' as const, geometry: JSON.parse(s.geometry) as never, properties: { id: s.id } },
        ];
      } catch {
        return [];
      }
    }),
  };
}

function pinsData(pins: Pin[], selected: string | null) {
  return {
    type: 'FeatureCollection' as const,
    features: pins.map((p) => ({
      type: 'Feature' as const,
      geometry: { type: 'Point' as const, coordinates: [p.lon, p.lat] },
      properties: { id: p.id, severity: p.severity, selected: p.id === selected, approximate: p.approximate },
    })),
  };
}

function boundsOf(sectors: SectorShape[]): LngLatBoundsLike | undefined {
  const boxes = sectors.map((s) => s.bbox).filter((b) => b.length === 4);
  if (boxes.length === 0) return undefined;
  return [
    [Math.min(...boxes.map((b) => b[0]!)), Math.min(...boxes.map((b) => b[1]!))],
    [Math.max(...boxes.map((b) => b[2]!)), Math.max(...boxes.map((b) => b[3]!))],
  ];
}

export default function AlertsMap(p: {
  label: string;
  canvasLabel: string;
  zoomIn: string;
  zoomOut: string;
  basemap: string;
  sectors: SectorShape[];
  pins: Pin[];
  selected: string | null;
  onSelect(id: string): void;
}) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const loaded = useRef(false);
  const latest = useRef(p);
  latest.current = p;

  useEffect(() => {
    const bounds = boundsOf(p.sectors);
    const map = createMap({
      container: container.current!,
      basemap: p.basemap,
      sources: {
        sectors: { type: 'geojson', data: sectorsData(p.sectors) },
        pins: { type: 'geojson', data: pinsData(p.pins, p.selected) },
      },
      layers: [
        {
          id: 'sectors-fill',
          type: 'fill',
          source: 'sectors',
          paint: { 'fill-color': COLOURS.sector, 'fill-opacity': 0.06 },
        },
        {
          id: 'sectors-line',
          type: 'line',
          source: 'sectors',
          paint: { 'line-color': COLOURS.sector, 'line-width': 1.5 },
        },
        {
          // Urgent pins are bigger and ringed, not only red: severity never by colour alone.
          id: 'pins',
          type: 'circle',
          source: 'pins',
          paint: {
            'circle-radius': ['case', ['==', ['get', 'severity'], 'urgent'], 10, 7],
            'circle-color': [
              'match',
              ['get', 'severity'],
              'urgent',
              COLOURS.urgent,
              'important',
              COLOURS.important,
              COLOURS.info,
            ],
            'circle-opacity': ['case', ['get', 'approximate'], 0.6, 0.95],
            'circle-stroke-width': [
              'case',
              ['get', 'selected'],
              4,
              ['==', ['get', 'severity'], 'urgent'],
              3,
              1.5,
            ],
            'circle-stroke-color': ['case', ['get', 'selected'], COLOURS.selected, '#ffffff'],
          },
        },
      ],
      view: bounds ? { bounds, padding: 24 } : { center: [2.35, 48.85], zoom: 11 },
      labels: { canvasLabel: p.canvasLabel, zoomIn: p.zoomIn, zoomOut: p.zoomOut },
    });
    map.on('load', () => {
      loaded.current = true;
      const q = latest.current;
      void (map.getSource('pins') as GeoJSONSource | undefined)?.setData(pinsData(q.pins, q.selected));
    });
    map.on('click', 'pins', (e) => {
      const id = e.features?.[0]?.properties?.id;
      if (typeof id === 'string') latest.current.onSelect(id);
    });
    map.on('mouseenter', 'pins', () => (map.getCanvas().style.cursor = 'pointer'));
    map.on('mouseleave', 'pins', () => (map.getCanvas().style.cursor = ''));
    mapRef.current = map;
    return () => {
      mapRef.current = null;
      loaded.current = false;
      map.remove();
    };
    // The map is made once; later changes reach it through the effects below.
  }, []);

  const pinsKey = JSON.stringify(p.pins) + String(p.selected);
  useEffect(() => {
    void (mapRef.current?.getSource('pins') as GeoJSONSource | undefined)?.setData(
      pinsData(p.pins, p.selected),
    );
  }, [pinsKey]);

  useEffect(() => {
    void (mapRef.current?.getSource('sectors') as GeoJSONSource | undefined)?.setData(sectorsData(p.sectors));
  }, [p.sectors]);

  // data-pins: the alerts the map's pin layer holds, for whoever checks the map against the list.
  return (
    <div
      ref={container}
      className="map mv-map"
      role="region"
      aria-label={p.label}
      data-pins={p.pins.map((x) => x.id).join(' ')}
    />
  );
}
