// Deterministic signing cases for the conformance suite: the same seed gives the same cases, so a
// failure can be reproduced and a case quoted in a bug report.

// mulberry32: small, fast and good enough to vary inputs (not for anything secret).
export function makeRandom(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = (list) => list[int(0, list.length - 1)];
  const chance = (p) => next() < p;
  const text = (alphabet, length) => {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[int(0, alphabet.length - 1)];
    return out;
  };
  return { next, int, pick, chance, text };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BASE64 = `${ALNUM}+/=`;
const HEX = '0123456789abcdef';

// City values the API really sees, plus spaces and full-width forms people paste.
const CITIES = ['杭州', '武汉', '上海', '西安', '北京', '深圳', '广州', '成都', '重庆', '乌鲁木齐',
  '呼和浩特', '全国', '全国列表', '全国通用', ' 杭州 ', '杭 州', 'Hangzhou', 'New York'];
// Free-text values that stress the encoder: every symbol the spec names, emoji, mixed scripts.
const TRICKY = ['*', '~', '+', '/', '=', '&', '%', ' ', 'a b', 'a+b', 'a%20b', '100%', 'x=y&z=w',
  '*~+/=&%', '😀', '👨‍👩‍👧', '号码隐私保护 😀', "it's (ok)!", 'tab\tnew\nline', '#?[]@',
  '"quoted"', '\\back\\slash', 'ümlaut é', '', ' ', '中文+English/符号=&%'];
const ACTIONS = ['BuySecretNo', 'QuerySecretNoRemain', 'ReleaseSecretNo', 'QuerySecretNoDetail',
  'LockSecretNo', 'UnlockSecretNo'];
const ENDPOINTS = ['dyplsapi.aliyuncs.com', '127.0.0.1:8080', 'localhost:3000'];

function timestamp(random) {
  // Any second between 2020 and 2030.
  const seconds = random.int(1577836800, 1893455999);
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function nonce(random) {
  if (random.chance(0.5)) return random.text(HEX, 32);
  const h = random.text(HEX, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
}

function businessParams(random) {
  const params = {};
  params.City = random.pick(CITIES);
  params.SpecId = random.chance(0.7) ? random.int(1, 3) : String(random.int(1, 3));
  if (random.chance(0.7)) params.PoolKey = `FC${random.text('0123456789', 10)}`;
  if (random.chance(0.4)) params.SecretNo = random.chance(0.3) ? '' : random.text('0123456789', random.int(1, 18));
  if (random.chance(0.5)) params.DisplayPool = random.chance(0.5);
  if (random.chance(0.6)) params.OutId = random.pick(TRICKY);
  if (random.chance(0.3)) params.Remark = random.pick(TRICKY) + random.pick(TRICKY);
  if (random.chance(0.2)) params.Expiration = random.int(0, 2 ** 31);
  return params;
}

/** `count` cases from `seed`: half v1, half v3; GET and POST; with and without STS tokens. */
export function generateCases(seed, count) {
  const random = makeRandom(seed);
  const cases = [];
  for (let i = 0; i < count; i++) {
    const sts = random.chance(0.5);
    const token = sts ? random.text(BASE64, random.int(1000, 1600)) : null;
    cases.push({
      id: i,
      method: random.chance(0.5) ? 'GET' : 'POST',
      style: i % 2 === 0 ? 'v1' : 'v3',
      accessKeyId: sts ? `STS.${random.text(ALNUM, 24)}` : `LTAI${random.text(ALNUM, 20)}`,
      accessKeySecret: random.text(random.chance(0.2) ? `${ALNUM}+/=&` : ALNUM, 30),
      securityToken: token,
      action: random.pick(ACTIONS),
      version: '2017-05-25',
      endpoint: random.pick(ENDPOINTS),
      nonce: nonce(random),
      timestamp: timestamp(random),
      params: businessParams(random),
    });
  }
  return cases;
}

/** A param value as the wire carries it: numbers as digits, booleans as true/false. */
export function render(value) {
  return String(value);
}
