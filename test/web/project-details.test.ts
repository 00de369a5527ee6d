import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { asProject } from '../../src/procore/shape';
import {
  formatAmount,
  formatDate,
  logoSrc,
  mapHref,
  projectDetails,
  savedProjectDetails,
} from '../../src/web/projects/project-details';

const fixture = (name: string) =>
  asProject(
    JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'procore', name), 'utf8')),
    'GET /rest/v1.0/projects/:id',
  );
const FORBIDDEN = /undefined|null|NaN|\[object Object\]|Invalid Date/;

describe('the project page’s details', () => {
  it('when Procore gives everything, then stage, status, address with a map link, dates, value, office, type and logo are shown, each once', () => {
    const details = projectDetails(fixture('project-show-published.json'));
    const anHttpsUrl: unknown = expect.stringMatching(/^https:\/\//);
    expect(details).toMatchObject({
      name: 'Project F',
      eyebrow: 'Project A-2',
      status: 'Active',
      stage: 'Bidding',
      logoSrc: anHttpsUrl,
    });
    const byLabel = Object.fromEntries(details.lines.map((line) => [line.label, line]));
    expect(byLabel.Address).toEqual({
      label: 'Address',
      text: '500 Construction Way, Carpinteria, CA 93013, US',
      link: {
        text: 'Map (OpenStreetMap)',
        href: 'https://www.openstreetmap.org/?mlat=34.398868&mlon=-119.518148#map=16/34.398868/-119.518148',
      },
    });
    expect(byLabel['Start date']).toEqual({ label: 'Start date', text: 'May 15, 2015', datetime: '2015-05-15' });
    expect(byLabel['Completion date']?.text).toBe('May 31, 2015');
    expect(byLabel['Total value']?.text).toBe('12,500,000.50');
    expect(byLabel.Office?.text).toBe('Carpinteria');
    expect(byLabel['Project type']?.text).toBe('Commercial');
    expect(byLabel.Phone).toMatchObject({ text: '310-555-5555', href: 'tel:310-555-5555'.replace(/-/g, '') });
    expect(details.lines.map((line) => line.label)).not.toContain('Stage');
    expect(details.lines.map((line) => line.label)).not.toContain('Project number');
  });

  it('when Procore gives nothing but an id and a name, then only what is known is listed and no line says null, undefined or NaN', () => {
    const details = projectDetails(fixture('project-show-nulls.json'));
    expect(details).toMatchObject({ eyebrow: 'Project', status: 'Active', stage: undefined, logoSrc: undefined });
    expect(details.lines.map((line) => line.label)).toEqual(['Procore id']);
    expect(JSON.stringify(details)).not.toMatch(FORBIDDEN);
  });

  it('when values are blank or unreadable, then their lines are left out', () => {
    const details = projectDetails(
      asProject(
        {
          id: 1,
          name: 'A',
          phone: '  ',
          start_date: 'soon',
          created_at: 'not a date',
          total_value: Number.NaN,
          latitude: 0,
          longitude: 0,
          office: { id: 1, name: null },
        },
        'x',
      ),
    );
    expect(details.lines.map((line) => line.label)).toEqual(['Procore id']);
  });

  it('when only coordinates are known, then the location is the coordinates with the map link', () => {
    const [line] = projectDetails(asProject({ id: 1, name: 'A', latitude: 45.5, longitude: -122.6 }, 'x')).lines;
    expect(line).toEqual({
      label: 'Location',
      text: '45.5, -122.6',
      link: {
        text: 'Map (OpenStreetMap)',
        href: 'https://www.openstreetmap.org/?mlat=45.5&mlon=-122.6#map=16/45.5/-122.6',
      },
    });
  });

  it('when a saved list copy is shown, then it has the number, stage, status and address and says it is partial', () => {
    const details = savedProjectDetails({
      id: 7,
      name: 'Depot',
      number: null,
      address: null,
      city: 'Austin',
      stateCode: 'TX',
      stage: undefined,
      active: false,
    });
    expect(details).toMatchObject({ eyebrow: 'Project', stage: undefined, status: 'Inactive', partial: true });
    expect(details.lines).toEqual([
      { label: 'Address', text: 'Austin, TX' },
      { label: 'Procore id', text: '7' },
    ]);
  });
});

describe('formatting helpers', () => {
  it('when amounts, dates, coordinates and logo URLs are odd, then they are refused rather than printed', () => {
    expect(formatAmount(1234.5)).toBe('1,234.50');
    expect(formatAmount('1234')).toBeUndefined();
    expect(formatDate('2024-02-29')?.text).toBe('February 29, 2024');
    expect(formatDate('2024-02-30')).toBeUndefined();
    expect(formatDate('2016-04-14T17:55:40Z')).toEqual({ text: 'April 14, 2016', datetime: '2016-04-14T17:55:40Z' });
    expect(formatDate('2024-13-45x')).toBeUndefined();
    expect(mapHref(91, 0)).toBeUndefined();
    expect(mapHref(null, 1)).toBeUndefined();
    expect(logoSrc('http://insecure.example/logo.png')).toBeUndefined();
    expect(logoSrc('javascript:alert(1)')).toBeUndefined();
    expect(logoSrc('data:text/html;base64,PHNjcmlwdD4=')).toBeUndefined();
    expect(logoSrc('data:image/png;base64,iVBORw0KGgo=')).toBe('data:image/png;base64,iVBORw0KGgo=');
  });
});
