import { describe, expect, it } from 'vitest';
import {
  findSelfIntersection,
  locateInPart,
  partsOverlap,
  ringAreaM2,
  type PolygonPart,
  type Ring,
} from './geometry.js';
import { validateSectorGeometry } from './sector-geometry.js';
import { isVigieError } from '../lib/errors.js';

const square = (x: number, y: number, size: number): Ring => [
  [x, y],
  [x + size, y],
  [x + size, y + size],
  [x, y + size],
  [x, y],
];
const part = (outer: Ring, holes: Ring[] = []): PolygonPart => ({ outer, holes });

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    if (isVigieError(err)) return err.code;
    throw err;
  }
}

describe('sector geometry', () => {
  it('tells inside, outside and boundary, holes included', () => {
    const p = part(square(0, 0, 10), [square(4, 4, 2)]);
    expect(locateInPart([1, 1], p)).toBe('inside');
    expect(locateInPart([5, 5], p)).toBe('outside');
    expect(locateInPart([10, 5], p)).toBe('boundary');
    expect(locateInPart([11, 5], p)).toBe('outside');
  });

  it('finds a bow tie and a ring folding back on itself', () => {
    expect(
      findSelfIntersection([
        [0, 0],
        [1, 1],
        [1, 0],
        [0, 1],
        [0, 0],
      ]),
    ).toBeDefined();
    expect(
      findSelfIntersection([
        [0, 0],
        [2, 0],
        [1, 0],
        [1, 1],
        [0, 0],
      ]),
    ).toBeDefined();
    expect(findSelfIntersection(square(0, 0, 1))).toBeUndefined();
  });

  it('counts overlapping interiors as overlap, and shared borders or corners as not', () => {
    expect(partsOverlap(part(square(0, 0, 2)), part(square(1, 1, 2)))).toBe(true);
    expect(partsOverlap(part(square(0, 0, 2)), part(square(0, 0, 2)))).toBe(true);
    expect(partsOverlap(part(square(0, 0, 4)), part(square(1, 1, 1)))).toBe(true);
    expect(partsOverlap(part(square(0, 0, 2)), part(square(2, 0, 2)))).toBe(false);
    expect(partsOverlap(part(square(0, 0, 2)), part(square(2, 2, 2)))).toBe(false);
    // Neighbours whose shared border has an extra vertex on one side only (a T-junction).
    expect(
      partsOverlap(
        part(square(0, 0, 2)),
        part([
          [2, 0],
          [4, 0],
          [4, 2],
          [2, 2],
          [2, 1],
          [2, 0],
        ]),
      ),
    ).toBe(false);
    // A square inside the other's hole does not overlap it.
    expect(partsOverlap(part(square(0, 0, 10), [square(3, 3, 4)]), part(square(4, 4, 2)))).toBe(false);
  });

  it('computes areas in square metres', () => {
    // 0.01° × 0.01° at the latitude of Serris: about 1.1 km × 0.73 km.
    expect(ringAreaM2(square(2.78, 48.84, 0.01)) / 1e6).toBeCloseTo(0.81, 1);
  });

  it('refuses each kind of invalid drawing with its own code', () => {
    const polygon = (rings: number[][][]) => ({ type: 'Polygon', coordinates: rings });
    expect(codeOf(() => validateSectorGeometry({ type: 'Point', coordinates: [2.79, 48.85] }))).toBe(
      'SECTOR_INVALID_GEOMETRY',
    );
    expect(
      codeOf(() =>
        validateSectorGeometry(
          polygon([
            [
              [0, 0],
              [1, 0],
              [1, 1],
              [0, 1],
            ],
          ]),
        ),
      ),
    ).toBe('SECTOR_RING_NOT_CLOSED');
    expect(
      codeOf(() =>
        validateSectorGeometry(
          polygon([
            [
              [0, 0],
              [1, 0],
              [0, 0],
            ],
          ]),
        ),
      ),
    ).toBe('SECTOR_TOO_FEW_POINTS');
    expect(
      codeOf(() =>
        validateSectorGeometry(
          polygon([
            [
              [0, 0],
              [1, 0],
              [1, 0],
              [0, 0],
            ],
          ]),
        ),
      ),
    ).toBe('SECTOR_TOO_FEW_POINTS');
    expect(
      codeOf(() =>
        validateSectorGeometry(
          polygon([
            [
              [0, 0],
              [1, 1],
              [1, 0],
              [0, 1],
              [0, 0],
            ],
          ]),
        ),
      ),
    ).toBe('SECTOR_SELF_INTERSECTING');
    expect(
      codeOf(() =>
        validateSectorGeometry(
          polygon([
            [
              [0, 0],
              [200, 0],
              [0, 1],
              [0, 0],
            ],
          ]),
        ),
      ),
    ).toBe('SECTOR_INVALID_GEOMETRY');
    expect(codeOf(() => validateSectorGeometry(polygon([square(0, 0, 2), square(1, 1, 2)])))).toBe(
      'SECTOR_INVALID_HOLE',
    );
    expect(
      codeOf(() =>
        validateSectorGeometry({ type: 'MultiPolygon', coordinates: [[square(0, 0, 2)], [square(1, 1, 2)]] }),
      ),
    ).toBe('SECTOR_SELF_INTERSECTING');
  });

  it('accepts a multipolygon of touching parts, with a hole, and drops repeated points', () => {
    const shape = validateSectorGeometry({
      type: 'MultiPolygon',
      coordinates: [
        [square(0, 0, 2), square(0.5, 0.5, 1)],
        [
          [
            [2, 0],
            [4, 0],
            [4, 0],
            [4, 2],
            [2, 2],
            [2, 0],
          ],
        ],
      ],
    });
    expect(shape.parts).toHaveLength(2);
    expect(shape.parts[1]!.outer).toHaveLength(5);
    expect(shape.bbox).toEqual({ minX: 0, minY: 0, maxX: 4, maxY: 2 });
  });
});
