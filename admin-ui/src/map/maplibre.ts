// What every map of Vigie shares: MapLibre with its worker, a plain background
// with Plan IGN tiles over it in production (tenant.basemap = ign) and none
// offline or in tests, the zoom buttons and the canvas named in the page's
// language, the attribution only when IGN tiles are shown. The boundary editor
// (polygon.tsx) and the console's map (mairie-vigilante) add their own sources
// and layers. Imported only by lazily loaded modules: MapLibre stays in the
// chunks of the pages that show a map.
import 'maplibre-gl/dist/maplibre-gl.css';
import {
  Map as MapLibreMap,
  NavigationControl,
  setWorkerUrl,
  type LayerSpecification,
  type LngLatBoundsLike,
  type LngLatLike,
  type SourceSpecification,
  type StyleSpecification,
} from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';

// MapLibre 6 does not find its worker by itself in a Vite build (GeoJSON layers stay blank).
setWorkerUrl(workerUrl);

/** Plan IGN (Géoplateforme WMTS, no key, Licence Ouverte): the production background. */
const IGN_TILES =
  'https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2' +
  '&STYLE=normal&TILEMATRIXSET=PM&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&FORMAT=image/png';

const BACKGROUND = '#f3f3ee';

export interface MapLabels {
  /** The canvas's name, for screen readers. */
  canvasLabel: string;
  zoomIn: string;
  zoomOut: string;
}

/**
 * A map in `container`: the background (and Plan IGN when `basemap` is
 * `ign`) under the caller's sources and layers, opening on `view`.
 */
export function createMap(opts: {
  container: HTMLElement;
  /** ign: Plan IGN tiles under the layers; anything else: a plain background. */
  basemap: string;
  sources: Record<string, SourceSpecification>;
  layers: LayerSpecification[];
  view: { bounds: LngLatBoundsLike; padding: number } | { center: LngLatLike; zoom: number };
  labels: MapLabels;
}): MapLibreMap {
  const ign = opts.basemap === 'ign';
  const style: StyleSpecification = {
    version: 8,
    sources: {
      ...(ign ? { ign: { type: 'raster', tiles: [IGN_TILES], tileSize: 256, attribution: '© IGN' } } : {}),
      ...opts.sources,
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': BACKGROUND } },
      ...(ign ? [{ id: 'ign', type: 'raster' as const, source: 'ign' }] : []),
      ...opts.layers,
    ],
  };
  const v = opts.view;
  const map = new MapLibreMap({
    container: opts.container,
    style,
    ...('bounds' in v ? { bounds: v.bounds, fitBoundsOptions: { padding: v.padding } } : v),
    attributionControl: ign ? { compact: false } : false,
    locale: {
      'Map.Title': opts.labels.canvasLabel,
      'NavigationControl.ZoomIn': opts.labels.zoomIn,
      'NavigationControl.ZoomOut': opts.labels.zoomOut,
    },
  });
  map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
  return map;
}
