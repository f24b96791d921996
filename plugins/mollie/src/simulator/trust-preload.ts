import { readFileSync } from 'node:fs';
import { trustCertificateInThisProcess } from './test-certificate.js';

/**
 * Test servers only: `node --import tsx --import <this file>` with PAYLINKS_MOLLIE_SIMULATOR_CERT_FILE
 * naming the simulator's PEM makes the Mollie SDK in that process trust it (see
 * trustCertificateInThisProcess for why NODE_EXTRA_CA_CERTS does not). Production never loads it.
 */
const certFile = process.env.PAYLINKS_MOLLIE_SIMULATOR_CERT_FILE;
if (!certFile) {
  throw new Error(
    'trust-preload needs PAYLINKS_MOLLIE_SIMULATOR_CERT_FILE: the Mollie simulator’s certificate',
  );
}
trustCertificateInThisProcess(readFileSync(certFile, 'utf8'));
