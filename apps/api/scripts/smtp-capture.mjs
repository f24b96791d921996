// A mail server for trying Paylinks' email locally: it accepts every message on 127.0.0.1 and
// prints who it is for, the subject and the plain-text part, instead of delivering it.
//   node apps/api/scripts/smtp-capture.mjs [port]        (default 2525)
// then start Paylinks with SMTP_URL=smtp://127.0.0.1:2525
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

const port = Number(process.argv[2] ?? 2525);
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  // Any user and password: this is a capture, not a mail server.
  onAuth: (_auth, _session, callback) => callback(null, { user: 'capture' }),
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((mail) => {
        const to = session.envelope.rcptTo.map((r) => r.address).join(', ');
        console.log(`\n--- ${new Date().toISOString()} to ${to}\nSubject: ${mail.subject}\n\n${mail.text}`);
        callback();
      })
      .catch(callback);
  },
});
server.listen(port, '127.0.0.1', () => console.log(`Capturing mail on smtp://127.0.0.1:${port}`));
