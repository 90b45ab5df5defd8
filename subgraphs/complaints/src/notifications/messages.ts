/** What a reporter is told about, in the order a complaint lives it. */
export const REPORTER_MESSAGE_KINDS = ['RECEIVED', 'FORWARDED', 'FOLLOWED_UP', 'CLOSED'] as const;
export type ReporterMessageKind = (typeof REPORTER_MESSAGE_KINDS)[number];

/** The facts a message says, each read when it is sent; never the reporter's token or contact. */
export type MessageFacts =
  | { kind: 'RECEIVED'; trackingId: string; title: string }
  | { kind: 'FORWARDED'; trackingId: string; title: string; agencyName: string }
  | { kind: 'FOLLOWED_UP'; trackingId: string; title: string; agencyName: string; followUp: string }
  | { kind: 'CLOSED'; trackingId: string; title: string; closedBy: 'REPORTER' | 'SYSTEM' };

/**
 * Who a message is for: the complaint's reporter, or a citizen who supported it ("me too") and
 * left a contact. A supporter is told the same news in words of their own: they hold no reporter
 * token and cannot reply, and nothing in their message names or addresses the reporter.
 */
export type Recipient = 'REPORTER' | 'SUPPORTER';

/** Where a message sends its reader: the citizen portal, and the link that stops the messages. */
export interface MessageLinks {
  portalUrl: string;
  unsubscribeUrl: string;
}

export interface ComposedEmail {
  subject: string;
  text: string;
}

const SIGNATURE = 'Salam,\nLAPOR! - Layanan Aspirasi dan Pengaduan Online Rakyat';

// Said in every message that names the portal: the token is what lets someone act as the reporter,
// so a message that could be forwarded, or a phishing copy of it, must never carry it or ask for it.
const TOKEN_WARNING =
  'Demi keamanan, token pelapor tidak pernah kami kirimkan lewat e-mail atau SMS, dan petugas tidak akan pernah memintanya.';

// An SMS of a follow-up quotes its beginning only: the whole text is on the portal.
const SMS_EXCERPT = 160;

function emailBody(facts: MessageFacts, links: MessageLinks): string {
  const complaint = `pengaduan Anda "${facts.title}" (nomor pelacakan ${facts.trackingId})`;
  switch (facts.kind) {
    case 'RECEIVED':
      return [
        `Pengaduan Anda "${facts.title}" telah kami terima dengan nomor pelacakan ${facts.trackingId}.`,
        'Pengaduan akan diverifikasi dan diteruskan kepada instansi yang berwenang dalam 3 hari kerja.',
        `Untuk mengikuti perkembangannya, buka ${links.portalUrl} lalu masukkan nomor pelacakan ${facts.trackingId} ` +
          'beserta token pelapor yang ditampilkan saat Anda mengirim pengaduan. Simpan token itu baik-baik. ' +
          TOKEN_WARNING,
      ].join('\n\n');
    case 'FORWARDED':
      return [
        `${capitalized(complaint)} telah diteruskan kepada ${facts.agencyName} untuk ditindaklanjuti.`,
        'Instansi tersebut menindaklanjutinya dalam 5 hari kerja. Kami akan memberi tahu Anda saat tindak lanjut diberikan.',
      ].join('\n\n');
    case 'FOLLOWED_UP':
      return [
        `${facts.agencyName} telah menindaklanjuti ${complaint}:`,
        quoted(facts.followUp),
        `Jika Anda belum puas, sampaikan tanggapan Anda melalui ${links.portalUrl} dengan nomor pelacakan dan token pelapor Anda ` +
          'dalam 10 hari kerja; tanpa tanggapan, pengaduan ditutup otomatis. Pesan ini tidak perlu dibalas. ' +
          TOKEN_WARNING,
      ].join('\n\n');
    case 'CLOSED':
      return facts.closedBy === 'REPORTER'
        ? `${capitalized(complaint)} telah ditutup setelah Anda menyatakan puas dengan tindak lanjutnya. Terima kasih atas laporan Anda.`
        : `${capitalized(complaint)} telah ditutup otomatis karena tidak ada tanggapan dalam 10 hari kerja setelah tindak lanjut. ` +
            'Terima kasih atas laporan Anda.';
  }
}

function supporterEmailBody(facts: MessageFacts, links: MessageLinks): string {
  const complaint = `pengaduan "${facts.title}" yang Anda dukung (nomor pelacakan ${facts.trackingId})`;
  const follow = `Perkembangannya dapat Anda ikuti di ${links.portalUrl} dengan nomor pelacakan ${facts.trackingId}.`;
  switch (facts.kind) {
    case 'RECEIVED':
      return [
        `Dukungan Anda untuk ${complaint} telah kami catat.`,
        `Kami akan memberi tahu Anda saat pengaduan ini diteruskan, ditindaklanjuti, dan ditutup. ${follow}`,
      ].join('\n\n');
    case 'FORWARDED':
      return [
        `${capitalized(complaint)} telah diteruskan kepada ${facts.agencyName} untuk ditindaklanjuti.`,
        'Instansi tersebut menindaklanjutinya dalam 5 hari kerja. Kami akan memberi tahu Anda saat tindak lanjut diberikan.',
      ].join('\n\n');
    case 'FOLLOWED_UP':
      return [`${facts.agencyName} telah menindaklanjuti ${complaint}:`, quoted(facts.followUp), `${follow} Pesan ini tidak perlu dibalas.`].join('\n\n');
    case 'CLOSED':
      return facts.closedBy === 'REPORTER'
        ? `${capitalized(complaint)} telah ditutup setelah pelapor menyatakan puas dengan tindak lanjutnya. Terima kasih atas dukungan Anda.`
        : `${capitalized(complaint)} telah ditutup otomatis karena tidak ada tanggapan pelapor dalam 10 hari kerja setelah tindak lanjut. ` +
            'Terima kasih atas dukungan Anda.';
  }
}

const SUBJECTS: Record<Recipient, Record<ReporterMessageKind, string>> = {
  REPORTER: {
    RECEIVED: 'Pengaduan Anda telah diterima',
    FORWARDED: 'Pengaduan Anda telah diteruskan',
    FOLLOWED_UP: 'Pengaduan Anda telah ditindaklanjuti',
    CLOSED: 'Pengaduan Anda telah ditutup',
  },
  SUPPORTER: {
    RECEIVED: 'Dukungan Anda telah dicatat',
    FORWARDED: 'Pengaduan yang Anda dukung telah diteruskan',
    FOLLOWED_UP: 'Pengaduan yang Anda dukung telah ditindaklanjuti',
    CLOSED: 'Pengaduan yang Anda dukung telah ditutup',
  },
};

/** The e-mail for a message: Indonesian, plain text, the stop link at the foot. */
export function composeEmail(facts: MessageFacts, links: MessageLinks, recipient: Recipient = 'REPORTER'): ComposedEmail {
  const supporter = recipient === 'SUPPORTER';
  return {
    subject: `[LAPOR!] ${SUBJECTS[recipient][facts.kind]} - ${facts.trackingId}`,
    text: [
      supporter ? 'Yth. Pendukung pengaduan,' : 'Yth. Pelapor,',
      supporter ? supporterEmailBody(facts, links) : emailBody(facts, links),
      SIGNATURE,
      `--\nAnda menerima pesan ini karena mencantumkan alamat ini ${supporter ? 'saat mendukung' : 'pada'} pengaduan ${facts.trackingId}. ` +
        `Berhenti menerima pemberitahuan tentang pengaduan ini: ${links.unsubscribeUrl}`,
    ].join('\n\n'),
  };
}

/** The SMS for a message: the same news, short, the stop link last. */
export function composeSms(facts: MessageFacts, links: MessageLinks, recipient: Recipient = 'REPORTER'): string {
  return `LAPOR!: ${recipient === 'SUPPORTER' ? supporterSmsNews(facts, links) : reporterSmsNews(facts, links)} Berhenti: ${links.unsubscribeUrl}`;
}

function supporterSmsNews(facts: MessageFacts, links: MessageLinks): string {
  const complaint = `pengaduan ${facts.trackingId} yang Anda dukung`;
  switch (facts.kind) {
    case 'RECEIVED':
      return `dukungan Anda untuk pengaduan ${facts.trackingId} dicatat. Pantau di ${links.portalUrl} dengan nomor ini.`;
    case 'FORWARDED':
      return `${complaint} diteruskan kepada ${facts.agencyName}.`;
    case 'FOLLOWED_UP':
      return `${complaint} ditindaklanjuti ${facts.agencyName}: "${excerpt(facts.followUp, SMS_EXCERPT)}" Baca di ${links.portalUrl}.`;
    case 'CLOSED':
      return `${complaint} ditutup${facts.closedBy === 'REPORTER' ? '' : ' otomatis (tidak ada tanggapan pelapor)'}. Terima kasih.`;
  }
}

function reporterSmsNews(facts: MessageFacts, links: MessageLinks): string {
  switch (facts.kind) {
    case 'RECEIVED':
      return `pengaduan Anda diterima, nomor pelacakan ${facts.trackingId}. Pantau di ${links.portalUrl} dengan nomor ini dan token pelapor Anda (jangan berikan kepada siapa pun).`;
    case 'FORWARDED':
      return `pengaduan ${facts.trackingId} diteruskan kepada ${facts.agencyName}.`;
    case 'FOLLOWED_UP':
      return `pengaduan ${facts.trackingId} ditindaklanjuti ${facts.agencyName}: "${excerpt(facts.followUp, SMS_EXCERPT)}" Baca dan tanggapi di ${links.portalUrl}.`;
    case 'CLOSED':
      return `pengaduan ${facts.trackingId} ditutup${facts.closedBy === 'REPORTER' ? '' : ' otomatis (tidak ada tanggapan)'}. Terima kasih.`;
  }
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const quoted = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => `> ${line}`)
    .join('\n');

function excerpt(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 3).trimEnd()}...`;
}
