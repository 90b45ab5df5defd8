import { createHash } from 'node:crypto';
import { addressedAgencyId, parseSubmission, submissionFingerprint } from '../src/domain/submission';
import { hashReporterToken, newReporterToken, newTrackingId, openForReplay, reporterTokenMatches, sealForReplay } from '../src/domain/reporter-secrets';

const valid = { type: 'COMPLAINT', title: ' Lampu jalan mati ', body: 'Baris satu\nBaris dua\tdengan tab', channel: 'WEB', anonymous: false, confidential: false };

describe('parseSubmission', () => {
  it('trims text, keeps line breaks in the body, and defaults optional fields to null', () => {
    expect(parseSubmission(valid)).toEqual({
      ...valid,
      title: 'Lampu jalan mati',
      regionCode: null,
      districtCode: null,
      villageCode: null,
      location: null,
      categoryId: null,
      addressedAgencyId: null,
      reporter: null,
      idempotencyKey: null,
    });
  });

  it('places a village in its district and regency', () => {
    expect(parseSubmission({ ...valid, villageCode: '52.06.01.2005' })).toMatchObject({ regionCode: '52.06', districtCode: '52.06.01', villageCode: '52.06.01.2005' });
    expect(parseSubmission({ ...valid, regionCode: '52.06', districtCode: '52.06.01' })).toMatchObject({ regionCode: '52.06', districtCode: '52.06.01' });
  });

  it('fingerprints a submission without a place as before places existed', () => {
    const { districtCode: _d, villageCode: _v, location: _l, ...rest } = parseSubmission(valid);
    const { idempotencyKey: _k, ...content } = rest;
    expect(submissionFingerprint(parseSubmission(valid))).toBe(createHash('sha256').update(JSON.stringify(content)).digest('hex'));
    expect(submissionFingerprint(parseSubmission({ ...valid, districtCode: '52.06.01' }))).not.toBe(submissionFingerprint(parseSubmission(valid)));
  });

  it.each([
    [{ title: '' }, 'input.title'],
    [{ title: 'a'.repeat(201) }, 'input.title'],
    [{ title: 'tab\there' }, 'input.title'],
    [{ body: 'bell\u0007' }, 'input.body'],
    [{ body: 'x'.repeat(4001) }, 'input.body'],
    [{ regionCode: '5' }, 'input.regionCode'],
    [{ regionCode: '52.06.01' }, 'input.regionCode'],
    [{ type: 'PRAISE' }, 'input.type'],
    [{ reporter: { phone: '12ab' } }, 'input.reporter.phone'],
    [{ idempotencyKey: 'spaces are not ok' }, 'input.idempotencyKey'],
    [{ regionCode: '52', districtCode: '52.06.01' }, 'input.districtCode'],
    [{ regionCode: '52.01', villageCode: '52.06.01.2005' }, 'input.villageCode'],
    [{ districtCode: '52.06.02', villageCode: '52.06.01.2005' }, 'input.villageCode'],
    [{ location: { latitude: -8.5, longitude: 200 } }, 'input.location.longitude'],
    [{ idempotencyKey: 'key-aaaaaaaa-with-enough-characters' }, 'input.idempotencyKey'],
  ])('names the field of %j', (override, field) => {
    expect(() => parseSubmission({ ...valid, ...override })).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field } }));
  });

  it('accepts a body of exactly 4,000 characters', () => {
    expect(parseSubmission({ ...valid, body: 'x'.repeat(4000) }).body).toHaveLength(4000);
  });

  it('fingerprints content, not the idempotency key', () => {
    const a = parseSubmission({ ...valid, idempotencyKey: '0d6f0f3e-2b53-4b55-9d8b-0c2f6f0e4b11' });
    const b = parseSubmission({ ...valid, idempotencyKey: '7c9e6679-7425-40de-944b-e07fc1f90ae7' });
    const c = parseSubmission({ ...valid, title: 'Lain' });
    expect(submissionFingerprint(a)).toBe(submissionFingerprint(b));
    expect(submissionFingerprint(a)).not.toBe(submissionFingerprint(c));
  });
});

describe('addressedAgencyId (no wrong door)', () => {
  it('prefers the citizen’s choice, then the region’s government, then the national node', () => {
    expect(addressedAgencyId({ chosenAgencyId: 'kemenkes', regionAgencyId: 'region-52.06', nationalAgencyId: 'n' })).toBe('kemenkes');
    expect(addressedAgencyId({ chosenAgencyId: null, regionAgencyId: 'region-52.06', nationalAgencyId: 'n' })).toBe('region-52.06');
    expect(addressedAgencyId({ chosenAgencyId: null, regionAgencyId: null, nationalAgencyId: 'n' })).toBe('n');
  });
});

describe('reporter secrets', () => {
  const complaintId = '0d6f0f3e-2b53-4b55-9d8b-0c2f6f0e4b11';
  const idempotencyKey = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

  it('draws a fresh 256-bit token each time and stores only a hash that verifies it', () => {
    const token = newReporterToken();
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(newReporterToken()).not.toBe(token);
    const hash = hashReporterToken(token);
    expect(hash).not.toContain(token);
    expect(reporterTokenMatches(token, hash)).toBe(true);
    expect(reporterTokenMatches(`${token}x`, hash)).toBe(false);
  });

  it('seals a token for a retry that opens only with the same idempotency key, for the same complaint', () => {
    const token = newReporterToken();
    const sealed = sealForReplay(token, idempotencyKey, complaintId);
    expect(sealed.toString('latin1')).not.toContain(token);
    expect(openForReplay(sealed, idempotencyKey, complaintId)).toBe(token);
    expect(openForReplay(sealed, '7c9e6679-7425-40de-944b-e07fc1f90ae8', complaintId)).toBeNull();
    expect(openForReplay(sealed, idempotencyKey, '0d6f0f3e-2b53-4b55-9d8b-0c2f6f0e4b12')).toBeNull();
  });

  it('draws tracking ids from Crockford base32 without repeats', () => {
    const ids = Array.from({ length: 10_000 }, newTrackingId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 100)) expect(id).toMatch(/^LPR-[0-9A-HJKMNP-TV-Z]{10}$/);
  });
});
