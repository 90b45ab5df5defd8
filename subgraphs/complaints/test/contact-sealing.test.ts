import { ContactSeal } from '../src/domain/contact-sealing';

const complaintId = '0b7e1a52-4a8f-4c55-9d2f-1f6f2f0a9a01';
const details = { name: 'Siti Aminah', email: 'siti@example.id', phone: '+6281234567890' };

describe('ContactSeal', () => {
  const seal = new ContactSeal(new TextEncoder().encode('test-contact-key'));

  it('opens what it sealed, and the sealed bytes hold none of it in clear', () => {
    const sealed = seal.seal(complaintId, details);
    expect(seal.open(complaintId, sealed)).toEqual(details);
    for (const value of Object.values(details)) expect(sealed.includes(Buffer.from(value))).toBe(false);
  });

  it('seals the same details differently each time (a fresh IV)', () => {
    expect(seal.seal(complaintId, details).equals(seal.seal(complaintId, details))).toBe(false);
  });

  it('keeps absent parts absent', () => {
    const partial = { name: null, email: null, phone: '+62811' };
    expect(seal.open(complaintId, seal.seal(complaintId, partial))).toEqual(partial);
  });

  it('refuses a contact moved to another complaint, a tampered one, or another key', () => {
    const sealed = seal.seal(complaintId, details);
    expect(() => seal.open('0b7e1a52-4a8f-4c55-9d2f-1f6f2f0a9a02', sealed)).toThrow();
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] ^= 1;
    expect(() => seal.open(complaintId, tampered)).toThrow();
    expect(() => new ContactSeal(new TextEncoder().encode('another-key')).open(complaintId, sealed)).toThrow();
  });
});
