import { composeEmail, composeSms, type MessageFacts } from '../src/notifications/messages';
import { parseUnsubscribeToken, unsubscribeToken, unsubscribeTokenMatches, unsubscribeUrl } from '../src/notifications/unsubscribe-links';

const links = { portalUrl: 'https://lapor.example/', unsubscribeUrl: 'https://lapor.example/notifications/unsubscribe?token=LPR-0123456789.sig' };
const common = { trackingId: 'LPR-0123456789', title: 'Jalan berlubang di Jl. Merdeka' };
const every: MessageFacts[] = [
  { kind: 'RECEIVED', ...common },
  { kind: 'FORWARDED', ...common, agencyName: 'Dinas PUPR Kabupaten Lombok Timur' },
  { kind: 'FOLLOWED_UP', ...common, agencyName: 'Dinas PUPR Kabupaten Lombok Timur', followUp: 'Perbaikan dijadwalkan pekan depan.\nTerima kasih.' },
  { kind: 'CLOSED', ...common, closedBy: 'SYSTEM' },
];

describe('reporter messages', () => {
  it.each(every)('$kind: Indonesian, names the tracking id, ends with the stop link, in the e-mail and the SMS', (facts) => {
    const email = composeEmail(facts, links);
    expect(email.subject).toContain(common.trackingId);
    expect(email.subject).toMatch(/^\[LAPOR!\] Pengaduan Anda telah (diterima|diteruskan|ditindaklanjuti|ditutup) - /);
    expect(email.text).toMatch(/^Yth\. Pelapor,/);
    expect(email.text).toContain(common.trackingId);
    expect(email.text.trimEnd().endsWith(links.unsubscribeUrl)).toBe(true);
    const sms = composeSms(facts, links);
    expect(sms).toContain(common.trackingId);
    expect(sms.endsWith(`Berhenti: ${links.unsubscribeUrl}`)).toBe(true);
  });

  it('says how to follow the complaint on receipt, where it went on forwarding, and the follow-up with how to reply', () => {
    const [received, forwarded, followedUp] = every.map((facts) => composeEmail(facts, links).text);
    expect(received).toContain(`buka ${links.portalUrl} lalu masukkan nomor pelacakan ${common.trackingId}`);
    expect(forwarded).toContain('telah diteruskan kepada Dinas PUPR Kabupaten Lombok Timur');
    expect(followedUp).toContain('> Perbaikan dijadwalkan pekan depan.\n> Terima kasih.');
    expect(followedUp).toContain(`sampaikan tanggapan Anda melalui ${links.portalUrl}`);
  });

  it('says who closed it', () => {
    expect(composeEmail({ kind: 'CLOSED', ...common, closedBy: 'REPORTER' }, links).text).toContain('setelah Anda menyatakan puas');
    expect(composeEmail({ kind: 'CLOSED', ...common, closedBy: 'SYSTEM' }, links).text).toContain('ditutup otomatis');
  });

  it.each(every)('$kind to a supporter: worded for a supporter, never asking for a token or a reply, with the stop link', (facts) => {
    const email = composeEmail(facts, links, 'SUPPORTER');
    expect(email.subject).toMatch(/^\[LAPOR!\] (Dukungan Anda telah dicatat|Pengaduan yang Anda dukung telah (diteruskan|ditindaklanjuti|ditutup)) - LPR-/);
    expect(email.text).toMatch(/^Yth\. Pendukung pengaduan,/);
    expect(email.text).toContain(common.trackingId);
    expect(email.text.replace(links.unsubscribeUrl, '')).not.toMatch(/token|tanggapan Anda|Pengaduan Anda/);
    expect(email.text.trimEnd().endsWith(links.unsubscribeUrl)).toBe(true);
    const sms = composeSms(facts, links, 'SUPPORTER');
    expect(sms).toContain(common.trackingId);
    expect(sms.replace(links.unsubscribeUrl, '')).not.toMatch(/token|tanggapi/);
    expect(sms.endsWith(`Berhenti: ${links.unsubscribeUrl}`)).toBe(true);
  });

  it('tells a supporter the reporter, not they, was satisfied', () => {
    expect(composeEmail({ kind: 'CLOSED', ...common, closedBy: 'REPORTER' }, links, 'SUPPORTER').text).toContain('setelah pelapor menyatakan puas');
  });

  it('quotes a long follow-up in an SMS by its beginning only, on one line', () => {
    const followUp = `${'Kami sudah meninjau lokasi. '.repeat(20)}\nSelesai.`;
    const sms = composeSms({ kind: 'FOLLOWED_UP', ...common, agencyName: 'Dinas PUPR', followUp }, links);
    const quote = /"([^"]*)"/.exec(sms)![1];
    expect(quote.length).toBeLessThanOrEqual(160);
    expect(quote.endsWith('...')).toBe(true);
    expect(quote).not.toContain('\n');
  });
});

describe('unsubscribe links', () => {
  const secret = new TextEncoder().encode('test-link-secret');
  const complaintId = '0b7e1a52-4a8f-4c55-9d2f-1f6f2f0a9a01';
  const supportId = '5d1c7a0e-2b3f-4c8d-9e6a-7f8b9c0d1e2f';
  const token = unsubscribeToken('LPR-0123456789', complaintId, secret);
  const supporters = unsubscribeToken('LPR-0123456789', complaintId, secret, supportId);

  it('names the tracking id (and a supporter’s support) and proves the hub signed it for that complaint', () => {
    expect(parseUnsubscribeToken(token)).toEqual({ trackingId: 'LPR-0123456789', supportId: null });
    expect(unsubscribeTokenMatches(token, complaintId, secret)).toBe(true);
    expect(parseUnsubscribeToken(supporters)).toEqual({ trackingId: 'LPR-0123456789', supportId });
    expect(unsubscribeTokenMatches(supporters, complaintId, secret)).toBe(true);
  });

  it('does not stop another complaint, nor verify under another secret, nor when altered', () => {
    expect(unsubscribeTokenMatches(token, '0b7e1a52-4a8f-4c55-9d2f-1f6f2f0a9a02', secret)).toBe(false);
    expect(unsubscribeTokenMatches(token, complaintId, new TextEncoder().encode('another-secret'))).toBe(false);
    const altered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect(unsubscribeTokenMatches(altered, complaintId, secret)).toBe(false);
  });

  it('a supporter’s link is not the reporter’s, nor another supporter’s', () => {
    const signature = supporters.slice(supporters.lastIndexOf('.') + 1);
    expect(unsubscribeTokenMatches(`LPR-0123456789.${signature}`, complaintId, secret)).toBe(false);
    expect(unsubscribeTokenMatches(supporters.replace(supportId, '5d1c7a0e-2b3f-4c8d-9e6a-7f8b9c0d1e20'), complaintId, secret)).toBe(false);
    const reporterSignature = token.slice(token.lastIndexOf('.') + 1);
    expect(unsubscribeTokenMatches(`LPR-0123456789.${supportId}.${reporterSignature}`, complaintId, secret)).toBe(false);
  });

  it('refuses what it cannot have written', () => {
    for (const bad of ['', 'LPR-0123456789', 'LPR-0123456789.', `x${token}`, `${token}x`, 'LPR-0123456789.../../etc', `LPR-0123456789.not-a-uuid.${token.slice(-43)}`]) {
      expect(parseUnsubscribeToken(bad)).toBeNull();
    }
  });

  it('is a link on the gateway', () => {
    expect(unsubscribeUrl('http://localhost:4000/', token)).toBe(`http://localhost:4000/notifications/unsubscribe?token=${token}`);
  });
});
