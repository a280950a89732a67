// A local OpenID Connect provider configured as FranceConnect (v2) is, for
// the tests and the demo site: the certified `oidc-provider` package, mounted
// under /api/v2 so that its endpoints have FranceConnect's paths
// (/api/v2/authorize, /token, /userinfo, /session/end, /jwks and
// /.well-known/openid-configuration), `acr_values=eidas1`, the identity pivot
// claims and email, PKCE required, test identities (identities.js) and its
// own login and consent pages (plain forms, in French).
//
//   node server.js --port 8090 --client-id eservices --client-secret secret \
//     --redirect-uri http://localhost:8080/Plone/acl_users/franceconnect/callback \
//     --post-logout-redirect-uri http://localhost:8080/Plone
//
// --test-switches (the tests only) adds POST /test/tamper?next=nonce|key|expired:
// the next ID token the token endpoint answers is spoiled that way (another
// nonce, signed by another key, expired an hour ago), to prove the portal
// refuses it; and GET /test/ended-sessions: how many sessions were ended
// through the end_session_endpoint.
//
// Everything is kept in memory: a restart forgets sessions, codes and tokens
// and draws a new signing key.

import { createPrivateKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import http from 'node:http';
import { parseArgs } from 'node:util';
import Provider from 'oidc-provider';
import { IDENTITIES, findIdentity } from './identities.js';

const PREFIX = '/api/v2';
const { values: options } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '8090' },
    issuer: { type: 'string' },
    'client-id': { type: 'string', default: 'illkirch-eservices' },
    'client-secret': { type: 'string', default: 'illkirch-eservices-secret' },
    'redirect-uri': { type: 'string', multiple: true, default: [] },
    'post-logout-redirect-uri': { type: 'string', multiple: true, default: [] },
    'test-switches': { type: 'boolean', default: false },
  },
});
const ISSUER = options.issuer || `http://localhost:${options.port}${PREFIX}`;

const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ format: 'jwk' });

// FranceConnect's scopes: one per claim of the identity pivot, and email.
const CLAIMS = {
  openid: ['sub'],
  given_name: ['given_name'],
  family_name: ['family_name'],
  birthdate: ['birthdate'],
  birthplace: ['birthplace'],
  birthcountry: ['birthcountry'],
  gender: ['gender'],
  preferred_username: ['preferred_username'],
  email: ['email'],
};

const configuration = {
  clients: [
    {
      client_id: options['client-id'],
      client_secret: options['client-secret'],
      redirect_uris: options['redirect-uri'],
      post_logout_redirect_uris: options['post-logout-redirect-uri'],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
      id_token_signed_response_alg: 'RS256',
    },
  ],
  claims: CLAIMS,
  scopes: Object.keys(CLAIMS),
  acrValues: ['eidas1'],
  responseTypes: ['code'],
  routes: {
    authorization: '/authorize',
    token: '/token',
    userinfo: '/userinfo',
    jwks: '/jwks',
    end_session: '/session/end',
  },
  pkce: { required: () => true },
  jwks: { keys: [{ ...signingKey, use: 'sig', alg: 'RS256', kid: randomBytes(8).toString('hex') }] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  findAccount: async (ctx, sub) => {
    const identity = IDENTITIES.find((item) => item.sub === sub);
    if (!identity) return undefined;
    return {
      accountId: sub,
      async claims() {
        const { login, password, ...claims } = identity;
        return claims;
      },
    };
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = page('Déconnexion', `
          <h1>Se déconnecter de FranceConnect (test)</h1>
          ${form}
          <button type="submit" form="op.logoutForm" name="logout" value="yes">Se déconnecter</button>`);
      },
      postLogoutSuccessSource: async (ctx) => {
        ctx.body = page('Déconnecté', '<h1>Vous êtes déconnecté de FranceConnect (test).</h1>');
      },
    },
  },
  ttl: {
    AuthorizationCode: 60,
    IdToken: 3600,
    AccessToken: 3600,
    Interaction: 3600,
    Session: 3600,
    Grant: 3600,
  },
  renderError: async (ctx, out) => {
    ctx.type = 'html';
    ctx.body = page('Erreur', `<h1>Erreur</h1><p>${escape(out.error)} : ${escape(out.error_description || '')}</p>`);
  },
};

const provider = new Provider(ISSUER, configuration);
provider.proxy = true;
let endedSessions = 0;
provider.on('end_session.success', () => {
  endedSessions += 1;
});

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} – FranceConnect (fournisseur de test)</title>
<style>body{font-family:sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#161616}
label{display:block;margin-top:1rem}input{font-size:1rem;padding:.4rem}
button{margin-top:1rem;font-size:1rem;padding:.5rem 1rem;background:#000091;color:#fff;border:0}
.error{color:#ce0500}</style></head>
<body><main>${body}</main></body></html>`;
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf-8'));
}

function send(res, status, html) {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(html);
}

function loginPage(uid, clientId, error = '') {
  const users = IDENTITIES.map((i) => `<li><code>${escape(i.login)}</code> : ${escape(i.given_name)} ${escape(i.family_name)}</li>`).join('');
  return page('Connexion', `
    <h1>Connexion à un fournisseur d'identité de test</h1>
    <p>Service demandeur : <strong>${escape(clientId)}</strong></p>
    ${error ? `<p class="error" role="alert">${escape(error)}</p>` : ''}
    <form method="post" action="/interaction/${uid}/login" autocomplete="off">
      <label for="login">Identifiant</label>
      <input id="login" name="login" required>
      <label for="password">Mot de passe</label>
      <input id="password" name="password" type="password" required>
      <button type="submit">Se connecter</button>
    </form>
    <h2>Identités de test</h2><p>Mot de passe : <code>123</code></p><ul>${users}</ul>`);
}

function consentPage(uid, clientId, scopes, identity) {
  const items = scopes.filter((s) => s !== 'openid')
    .map((s) => `<li>${escape(s)} : ${escape(identity?.[s] ?? '')}</li>`).join('');
  return page('Consentement', `
    <h1>Transmettre vos informations</h1>
    <p>Le service <strong>${escape(clientId)}</strong> recevra :</p><ul>${items}</ul>
    <form method="post" action="/interaction/${uid}/confirm">
      <button type="submit">Continuer sur le service</button>
    </form>`);
}

async function interaction(req, res) {
  const match = req.url.match(/^\/interaction\/([\w-]+)(\/login|\/confirm)?$/);
  if (!match) return false;
  const [, uid, action] = match;
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) {
    send(res, 400, page('Erreur', '<h1>Interaction inconnue</h1>'));
    return true;
  }
  const { prompt, params, session } = details;
  if (!action && req.method === 'GET') {
    if (prompt.name === 'login') {
      send(res, 200, loginPage(uid, params.client_id));
    } else {
      const identity = IDENTITIES.find((i) => i.sub === session?.accountId);
      send(res, 200, consentPage(uid, params.client_id, String(params.scope).split(' '), identity));
    }
    return true;
  }
  if (action === '/login' && req.method === 'POST') {
    const form = await readForm(req);
    const identity = findIdentity(form.get('login'), form.get('password'));
    if (!identity) {
      send(res, 200, loginPage(uid, params.client_id, 'Identifiant ou mot de passe incorrect.'));
      return true;
    }
    await provider.interactionFinished(req, res, {
      login: { accountId: identity.sub, acr: 'eidas1', amr: ['pwd'] },
    }, { mergeWithLastSubmission: false });
    return true;
  }
  if (action === '/confirm' && req.method === 'POST') {
    await readForm(req);
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    const missing = prompt.details;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return true;
  }
  return false;
}

// test switches -------------------------------------------------------------

const TAMPERINGS = ['nonce', 'key', 'expired'];
let nextTampering = null;
const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const ownKey = createPrivateKey({ key: signingKey, format: 'jwk' });

function base64url(data) {
  return Buffer.from(data).toString('base64url');
}

function spoil(idToken, how) {
  const [header, payload] = idToken.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf-8'));
  const now = Math.floor(Date.now() / 1000);
  if (how === 'nonce') claims.nonce = `${claims.nonce}-other`;
  if (how === 'expired') Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
  const input = `${header}.${base64url(JSON.stringify(claims))}`;
  const key = how === 'key' ? otherKey : ownKey;
  return `${input}.${base64url(sign('sha256', Buffer.from(input), key))}`;
}

function tamperNextToken(res) {
  const how = nextTampering;
  nextTampering = null;
  const end = res.end.bind(res);
  res.end = (body, ...rest) => {
    try {
      const answer = JSON.parse(Buffer.from(body).toString('utf-8'));
      if (answer.id_token) {
        answer.id_token = spoil(answer.id_token, how);
        body = JSON.stringify(answer);
        res.setHeader('Content-Length', Buffer.byteLength(body));
      }
    } catch {
      // not a token answer: left as it is
    }
    return end(body, ...rest);
  };
}

const handler = provider.callback();
const server = http.createServer(async (req, res) => {
  try {
    if (req.url === '/health') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (options['test-switches'] && req.method === 'POST' && req.url.startsWith('/test/tamper?')) {
      const how = new URL(req.url, 'http://localhost').searchParams.get('next');
      if (!TAMPERINGS.includes(how)) {
        send(res, 400, page('Erreur', '<h1>next: nonce, key or expired</h1>'));
        return;
      }
      nextTampering = how;
      send(res, 200, page('OK', `<p>${how}</p>`));
      return;
    }
    if (options['test-switches'] && req.url === '/test/ended-sessions') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ ended: endedSessions }));
      return;
    }
    if (req.url.startsWith('/interaction/')) {
      if (await interaction(req, res)) return;
      send(res, 404, page('Introuvable', '<h1>Page introuvable</h1>'));
      return;
    }
    if (req.url === PREFIX || req.url.startsWith(`${PREFIX}/`)) {
      if (nextTampering && req.method === 'POST' && req.url === `${PREFIX}/token`) {
        tamperNextToken(res);
      }
      req.originalUrl = req.url;
      req.url = req.url.slice(PREFIX.length) || '/';
      handler(req, res);
      return;
    }
    send(res, 404, page('Introuvable', '<h1>Page introuvable</h1>'));
  } catch (error) {
    console.error(error);
    if (!res.headersSent) send(res, 400, page('Erreur', `<h1>Erreur</h1><p>${escape(error.message)}</p>`));
  }
});

server.listen(Number(options.port), options.host, () => {
  console.log(`oidc-provider (FranceConnect-like) ${ISSUER} listening on ${options.host}:${options.port}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
