// Test identities, shaped as FranceConnect's identity pivot: given_name
// (every first name, space-separated), family_name (birth name), birthdate
// (YYYY-MM-DD), gender (female / male), birthplace (the INSEE code of the
// commune of birth, empty when born abroad), birthcountry (the INSEE code of
// the country, 99100 for France), plus email and preferred_username (the
// usage name, may be empty). Password of all: 123.

export const IDENTITIES = [
  {
    login: 'angela',
    password: '123',
    sub: 'b6048e95bb134ec5b1d1e1fa69f287172e91722b9354d637a1bcf2ebb0fd2ef5v1',
    given_name: 'Angela Claire Louise',
    family_name: 'DUBOIS',
    preferred_username: '',
    birthdate: '1962-08-24',
    gender: 'female',
    birthplace: '75107',
    birthcountry: '99100',
    email: 'angela.dubois@example.org',
  },
  {
    login: 'jean',
    password: '123',
    sub: '2b3c5f1e8a9d4c7b6e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2dv1',
    given_name: 'Jean-Baptiste',
    family_name: 'ROUSSEAU',
    preferred_username: '',
    birthdate: '1985-03-12',
    gender: 'male',
    birthplace: '67482',
    birthcountry: '99100',
    email: 'jb.rousseau@example.org',
  },
  {
    login: 'lucia',
    password: '123',
    sub: '9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddccbbaa99887766554433221100v1',
    given_name: 'Lucía',
    family_name: 'GARCÍA LÓPEZ',
    preferred_username: 'MOREAU',
    birthdate: '1990-11-02',
    gender: 'female',
    birthplace: '',
    birthcountry: '99134',
    email: 'lucia.garcia@example.org',
  },
];

export function findIdentity(login, password) {
  return IDENTITIES.find((item) => item.login === (login || '').trim() && item.password === password);
}
