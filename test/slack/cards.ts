/** Contact cards for the Slack view tests, from a plain one to the largest the form can hold. */
import { type ContactInput, MAX_LENGTH } from '../../src/card/index.js';
import { MAX_ROWS } from '../../src/slack/metadata.js';
import { JUAN_RECIPIENT_ID, JUAN_TYPED } from '../support/juan.js';

export const RECIPIENT = '+593991234567';
export const RECIPIENT_ID = JUAN_RECIPIENT_ID;
export const NOW = new Date('2025-06-01T12:00:00Z');

/** A card with every field the form shows, one row of each: the seed's card and the rest. */
export const JUAN: ContactInput = {
  ...JUAN_TYPED,
  company: 'Jelou',
  department: 'Ventas',
  title: 'Gerente',
  urls: [{ url: 'https://jelou.ai' }],
  birthday: '1990-05-17',
};

const VALID_NUMBERS = [
  '+593 99 123 4567',
  '+52 55 1234 5678',
  '+1 213 373 4253',
  '+44 20 7946 0958',
  '+34 612 34 56 78',
] as const;

/** `text` repeated or cut to exactly `length` characters. */
export function sized(text: string, length: number): string {
  return text.repeat(Math.ceil(length / text.length)).slice(0, length);
}

/**
 * A big card a real person could write: every row the form offers, filled with long but ordinary
 * values (long names, corporate emails, full addresses).
 */
export const BIG_REALISTIC: ContactInput = {
  formattedName: 'María Fernanda de los Ángeles Villacís Zambrano',
  firstName: 'María Fernanda',
  lastName: 'Villacís Zambrano',
  phones: VALID_NUMBERS.map((number, i) => ({
    number,
    type: ['Mobile', 'Work', 'Home', 'Main', 'iPhone'][i],
  })),
  emails: [
    { address: 'maria.fernanda.villacis@corporacion-ejemplo.com.ec', type: 'Work' },
    { address: 'mfvillacis.zambrano@gmail.com', type: 'Home' },
    { address: 'ventas.regionales@corporacion-ejemplo.com.ec', type: 'Work' },
    { address: 'm.villacis@ejemplo-consultores.org', type: 'Work' },
    { address: 'mf.villacis@outlook.com', type: 'Home' },
  ],
  addresses: [
    {
      street: 'Av. Francisco de Orellana y Miguel H. Alcívar, Edificio Centrum, piso 12, oficina 1204',
      city: 'Guayaquil',
      state: 'Guayas',
      zip: '090505',
      country: 'Ecuador',
      countryCode: 'EC',
      type: 'Office',
    },
    {
      street: 'Calle Los Ceibos 345 y Av. del Bombero, Urbanización Los Ceibos',
      city: 'Guayaquil',
      state: 'Guayas',
      zip: '090615',
      country: 'Ecuador',
      countryCode: 'EC',
      type: 'Home',
    },
    {
      street: 'Paseo de la Reforma 505, piso 30, Col. Cuauhtémoc',
      city: 'Ciudad de México',
      state: 'CDMX',
      zip: '06500',
      country: 'México',
      countryCode: 'MX',
      type: 'Office',
    },
  ],
  company: 'Corporación Ejemplo de Servicios Financieros y Comerciales S.A.',
  department: 'Dirección Regional de Ventas Corporativas',
  title: 'Gerente Regional de Cuentas Clave',
  urls: [{ url: 'https://www.corporacion-ejemplo.com.ec/equipo/maria-fernanda-villacis' }],
  birthday: '1985-11-23',
};

/** An email address of exactly `MAX_LENGTH.email` characters, distinct by `n`. */
function longEmail(n: number): string {
  const local = sized(`mailbox${n}.`, 64).replace(/\.$/u, 'x');
  const domain = `${sized('sub.', MAX_LENGTH.email - local.length - 1 - 4).replace(/\.+$/u, 'a')}.com`;
  return `${local}@${domain}`;
}

/** Every row the form offers, every field at (or near) its limit. */
export const MAXIMAL_FORM_CARD: ContactInput = {
  formattedName: sized('Nombre Largo ', MAX_LENGTH.name).trim(),
  firstName: sized('Primero ', MAX_LENGTH.name).trim(),
  lastName: sized('Apellido ', MAX_LENGTH.name).trim(),
  phones: VALID_NUMBERS.slice(0, MAX_ROWS.phone).map((number) => ({ number, type: 'Mobile' })),
  emails: Array.from({ length: MAX_ROWS.email }, (_, i) => ({ address: longEmail(i), type: 'Work' })),
  addresses: Array.from({ length: MAX_ROWS.address }, () => ({
    street: sized('Calle ', MAX_LENGTH.street).trim(),
    city: sized('Ciudad ', MAX_LENGTH.city).trim(),
    state: sized('Provincia ', MAX_LENGTH.state).trim(),
    zip: sized('1', MAX_LENGTH.zip),
    country: sized('País ', MAX_LENGTH.country).trim(),
    countryCode: 'EC',
    type: 'Office',
  })),
  company: sized('Empresa ', MAX_LENGTH.org).trim(),
  department: sized('Departamento ', MAX_LENGTH.org).trim(),
  title: sized('Cargo ', MAX_LENGTH.org).trim(),
  urls: [{ url: `https://example.com/${sized('a', MAX_LENGTH.url - 20)}` }],
  birthday: '1985-11-23',
};
