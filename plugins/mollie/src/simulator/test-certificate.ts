import https from 'node:https';
import { generate } from 'selfsigned';

export type TestCertificate = { cert: string; key: string };

/** A certificate for 127.0.0.1 and localhost, made fresh for each test run and valid for a day. */
export async function createTestCertificate(): Promise<TestCertificate> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const pems = await generate([{ name: 'commonName', value: 'Paylinks Mollie simulator' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + 24 * 60 * 60 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

let trusted: string[] = [];
let original: typeof https.Agent | undefined;

/**
 * Makes the Mollie SDK in this process trust the simulator's certificate.
 *
 * Why not NODE_EXTRA_CA_CERTS: @mollie/api-client 4.6 builds its own `https.Agent({ ca })` from the
 * CA list it bundles, and an explicit `ca` replaces Node's whole root store, extra certificates
 * included (tried: NODE_EXTRA_CA_CERTS, and --use-openssl-ca with SSL_CERT_FILE, both still answer
 * "self-signed certificate"). The SDK takes no agent or CA option. So, in test processes only, agents
 * created with an explicit `ca` list get the test certificate added to it; verification stays on.
 * Returns a function that undoes it.
 */
export function trustCertificateInThisProcess(certPem: string): () => void {
  trusted = [...trusted, certPem];
  if (!original) {
    const Base = https.Agent;
    original = Base;
    class TrustingAgent extends Base {
      constructor(options?: https.AgentOptions) {
        const ca = options?.ca;
        super(
          ca === undefined ? options : { ...options, ca: [...(Array.isArray(ca) ? ca : [ca]), ...trusted] },
        );
      }
    }
    Object.defineProperty(https, 'Agent', { value: TrustingAgent, writable: true, configurable: true });
  }
  return () => {
    trusted = trusted.filter((pem) => pem !== certPem);
    if (trusted.length === 0 && original) {
      Object.defineProperty(https, 'Agent', { value: original, writable: true, configurable: true });
      original = undefined;
    }
  };
}
