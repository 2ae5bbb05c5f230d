// The proposed sectors on a map, with the addresses as dots: the same MapLibre
// set-up as the console's map (mairie-vigilante's alerts-map.tsx, which lives
// in that plugin and so cannot be imported here): the worker wired by hand,
// geojson sources with fill, line and circle layers only (no glyphs to fetch),
// Plan IGN raster tiles only when the platform says so. The table beside it
// says the same for screen readers (RGAA 1.1, 7.1).
import 'maplibre-gl/dist/maplibre-gl.css';
import { useEffect, useRef } from 'react';
import {
  Map as MapLibreMap,
  NavigationControl,
  setWorkerUrl,
  type GeoJSONSource,
  type StyleSpecification,
} from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import type { ProposedSector } from './api.js';

setWorkerUrl(workerUrl);

/** Eight hues distinguishable from each other and dark enough for a 2 px outline on the pale background. */
const PALETTE = ['#1f4fa3', '#8a4b00', '#0b6e4f', '#7a2e8a', '#b3261e', '#00636f', '#5c5c00', '#4a4a4a'];

function sectorsData(sectors: ProposedSector[]) {
  return {
    type: 'FeatureCollection' as const,
    features: sectors.map((s, i) => ({
      type: 'Feature' as const,
      geometry: s.geometry as never,
      properties: { key: s.key, colour: PALETTE[i % PALETTE.length]! },
    })),
  };
}

function pointsData(points: Array<[number, number]>) {
  return {
    type: 'FeatureCollection' as const,
    features: points.map((c) => ({
      type: 'Feature' as const,
      geometry: { type: 'Point' as const, coordinates: c },
      properties: {},
    })),
  };
}

function boundsOf(points: Array<[number, number]>): [[number, number], [number, number]] {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return [
    [Math.min(...xs), Math.min(...ys)],
    [Math.max(...xs), Math.max(...ys)],
  ];
}

export function sectorColour(i: number): string {
  return PALETTE[i % PALETTE.length]!;
}

export default function SectorsMap(p: {
  label: string;
  canvasLabel: string;
  zoomIn: string;
  zoomOut: string;
  sectors: ProposedSector[];
  points: Array<[number, number]>;
}) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);

  useEffect(() => {
    const style: StyleSpecification = {
      version: 8,
      sources: {
        sectors: { type: 'geojson', data: sectorsData(p.sectors) },
        points: { type: 'geojson', data: pointsData(p.points) },
      },
      layers: [
        { id: 'background', type: 'background', paint: { 'background-color': '#f3f3ee' } },
        {
          id: 'sectors-fill',
          type: 'fill',
          source: 'sectors',
          paint: { 'fill-color': ['get', 'colour'], 'fill-opacity': 0.12 },
        },
        {
          id: 'sectors-line',
          type: 'line',
          source: 'sectors',
          paint: { 'line-color': ['get', 'colour'], 'line-width': 2 },
        },
        {
          id: 'points',
          type: 'circle',
          source: 'points',
          paint: { 'circle-radius': 2, 'circle-color': '#222222' },
        },
      ],
    };
    const map = new MapLibreMap({
      container: container.current!,
      style,
      ...(p.points.length
        ? { bounds: boundsOf(p.points), fitBoundsOptions: { padding: 24 } }
        : { center: [2.35, 48.85], zoom: 11 }),
      attributionControl: false,
      locale: {
        'Map.Title': p.canvasLabel,
        'NavigationControl.ZoomIn': p.zoomIn,
        'NavigationControl.ZoomOut': p.zoomOut,
      },
    });
    map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    mapRef.current = map;
    return () => {
      mapRef.current = null;
      map.remove();
    };
    // Made once; a new proposal reaches it through the effect below.
  }, []);

  useEffect(() => {
    void (mapRef.current?.getSource('sectors') as GeoJSONSource | undefined)?.setData(sectorsData(p.sectors));
  }, [p.sectors]);

  // data-sectors: what the map's sector layer holds, for whoever checks the map against the table.
  return (
    <div
      ref={container}
      className="map"
      role="region"
      aria-label={p.label}
      data-sectors={p.sectors.map((s) => s.key).join(' ')}
    />
  );
}
