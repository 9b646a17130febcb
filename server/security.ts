/**
 * Security headers on every HTTP response (helmet): a strict Content-Security-Policy that
 * the built client passes (e2e/csp.e2e.ts opens every page under it), and helmet's other
 * headers fitted to a server that a classroom reaches over plain http on a LAN address.
 */
import type { IncomingMessage } from 'node:http';
import helmet from 'helmet';
import type { RequestHandler } from 'express';

// A Host header we are willing to write into a header: a DNS name, IPv4 or bracketed IPv6
// literal, with an optional port. Nothing that could close a directive (";", ",", spaces).
const PLAIN_HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The game's WebSocket on the host the page was loaded from, as connect-src sources.
 * CSP3 lets 'self' match ws:/wss: on the same host and Chromium and Firefox do, but WebKit
 * did not until 2022, and classroom iPads run old Safari: naming it costs nothing.
 */
export function sameHostSocketSources(host: string | undefined): string {
  return host && PLAIN_HOST.test(host) ? `ws://${host} wss://${host}` : '';
}

/** The Content-Security-Policy directives, in helmet's form. */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  // The built client is one module script and its chunks: no inline script, no eval.
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  // Stylesheets from our origin only. Preact sets style={{…}} through the CSSOM, which CSP
  // does not govern, and the QR code's SVG markup carries no style attributes.
  styleSrc: ["'self'"],
  // The favicon is a data: URL in index.html.
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'", (req: IncomingMessage) => sameHostSocketSources(req.headers.host)],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  // Nobody may frame the host screen (the room key is in its page) or the student table.
  frameAncestors: ["'none'"],
};

/** Helmet with the policy above; HSTS and upgrade-insecure-requests off for plain-http classrooms. */
export function securityHeaders(): RequestHandler {
  return helmet({
    // useDefaults: false leaves out helmet's upgrade-insecure-requests, which makes the
    // browser fetch every script, stylesheet and socket of http://192.168.1.20:3000 over
    // https, where nothing answers: the page would not load at all.
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    // HSTS is ignored over http anyway; and if one visit ever came through an https proxy
    // on the same name, a year of "https only" (with includeSubDomains) would lock the
    // class out of the plain-http server. TLS, where there is any, is the proxy's to pin.
    strictTransportSecurity: false,
    // The same as frame-ancestors 'none', for browsers that know only this header.
    xFrameOptions: { action: 'deny' },
    // Join links carry the room code: do not hand it to other sites.
    referrerPolicy: { policy: 'no-referrer' },
    // Browsers ignore these on an http origin other than localhost, and say so in the
    // console of every page (COOP as an error): on the classroom's LAN address they would
    // do nothing but that. The app opens no windows and cannot be framed.
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
  });
}
