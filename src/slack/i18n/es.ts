/**
 * The Spanish catalogue: Latin-American business Spanish, addressing the person as "tú" (as the
 * error and Jelou-reason sentences in src/errors.ts and src/jelou/reasons.ts already do). Typed as
 * `Catalogue`, so a key missing here, or one English does not have, fails the type check; the
 * test in test/slack/i18n.test.ts also catches a function with a different number of parameters
 * and a sentence left in English.
 */
import type { Catalogue } from './en.js';

export const es: Catalogue = {
  modal: {
    // Slack cuts title, submit and close at 24 characters.
    title: 'Tarjeta de contacto',
    preview: 'Vista previa',
    send: 'Enviar',
    cancel: 'Cancelar',
  },
  fields: {
    recipient: 'Enviar a (WhatsApp)',
    resultChannel: 'Publicar el resultado en',
    resultChannelHint: 'Déjalo vacío para recibir el resultado como mensaje directo de Jelou Card.',
    recipientPlaceholder: 'Busca por nombre o número',
    recipientHint:
      'Personas que escribieron al bot hace poco, por nombre o número. O escribe el número completo con su código de país, p. ej. +593 99 123 4567. Hasta 20 personas: cada una recibe la tarjeta.',
    formattedName: 'Nombre en la tarjeta',
    formattedNamePlaceholder: 'Juan Pérez',
    firstName: 'Nombre',
    lastName: 'Apellido',
    phone: (n: number) => (n === 1 ? 'Teléfono' : `Teléfono ${n}`),
    phonePlaceholder: '+52 55 1234 5678',
    phoneType: (n: number) => (n === 1 ? 'Tipo de teléfono' : `Tipo del teléfono ${n}`),
    noWhatsApp: 'Este número no tiene WhatsApp',
    whatsApp: (n: number) => (n === 1 ? 'WhatsApp del teléfono' : `WhatsApp del teléfono ${n}`),
    email: (n: number) => (n === 1 ? 'Correo electrónico' : `Correo electrónico ${n}`),
    emailPlaceholder: 'nombre@example.com',
    emailType: (n: number) => (n === 1 ? 'Tipo de correo' : `Tipo del correo ${n}`),
    addressHeader: (n: number) => (n === 1 ? '*Dirección*' : `*Dirección ${n}*`),
    street: 'Calle y número',
    city: 'Ciudad',
    state: 'Estado o provincia',
    zip: 'Código postal',
    country: 'País',
    countryCode: 'Código de país',
    countryCodeHint: 'Dos letras (ISO 3166-1), p. ej. MX, EC, US.',
    addressType: 'Tipo de dirección',
    company: 'Empresa',
    department: 'Departamento',
    title: 'Cargo',
    website: 'Sitio web',
    websitePlaceholder: 'https://example.com',
    birthday: 'Fecha de nacimiento',
    more: '*Más datos del contacto*',
  },
  buttons: {
    useProfile: 'Usar mi perfil de Slack',
    addPhone: 'Agregar teléfono',
    addEmail: 'Agregar correo',
    addAddress: 'Agregar dirección',
    backToEdit: 'Editar',
    retry: 'Reintentar',
    cancel: 'Cancelar',
    sendAgainAnyway: 'Enviar de nuevo de todos modos',
    addContact: 'Agregar otro contacto',
    editContact: 'Editar',
    removeContact: 'Quitar',
    attachVcf: 'Importar de un archivo .vcf',
    backToForm: 'Escribir un contacto',
    downloadVcf: 'Descargar .vcf',
    sendTemplate: 'Enviar antes una plantilla',
  },
  types: {
    phone: {
      Mobile: 'Celular',
      Work: 'Trabajo',
      Home: 'Casa',
      Main: 'Principal',
      iPhone: 'iPhone',
      Landline: 'Fijo',
      Fax: 'Fax',
    },
    email: { Work: 'Trabajo', Home: 'Personal' },
    address: { Office: 'Oficina', Home: 'Casa' },
  },
  recipientOption: {
    typed: (formatted: string) => `${formatted} (número escrito)`,
    typedKnown: (formatted: string, known: string, id: string) =>
      `${formatted} = ${known} (id de WhatsApp ${id})`,
    hiddenNumber: (country: string) => `número oculto, ${country}`,
  },
  form: {
    recipientRequired:
      'Elige quién recibe la tarjeta: busca un nombre o número, o escribe el número completo con su código de país.',
    tooManyRecipients: (max: number, chosen: number) =>
      `Una tarjeta puede ir a ${max} personas como máximo a la vez, y hay ${chosen} elegidas. Quita algunas o envía la tarjeta dos veces.`,
    expired: 'Este formulario está desactualizado. Ciérralo y vuelve a ejecutar /jelou-card.',
    profileFailed:
      'No pude leer tu perfil de Slack en este momento. Vuelve a pulsar *Usar mi perfil de Slack* en un momento, o completa la tarjeta a mano.',
    channelExternal:
      'Este canal se comparte con otra organización (Slack Connect): elige un canal solo de tu empresa, o déjalo vacío para recibirlo por mensaje directo.',
    channelUnreachable:
      'No puedo publicar en este canal (es privado y no estoy en él, o está archivado). Invítame con /invite, elige otro, o déjalo vacío para recibirlo por mensaje directo.',
    channelNotAllowed:
      'Elige uno de los canales donde se puede usar jelou-card: ni esta opción ni un mensaje directo están en su lista de permitidos.',
    closed: 'Cerrar',
  },
  history: {
    title: 'Tus últimas tarjetas de contacto',
    empty: 'Aún no has enviado tarjetas de contacto. Escribe `/jelou-card` para enviar una.',
    status: {
      pending: 'en espera de envío',
      sending: 'enviándose',
      sent: 'enviada',
      failed: 'no enviada',
      unknown: 'puede que haya llegado o no',
      awaiting_reply: 'esperando que el cliente responda a una plantilla',
    },
    receipt: {
      delivered_channel: 'enviada · entregada a WhatsApp',
      delivered_user: 'enviada · entregada al teléfono',
      read: 'enviada · leída',
      replied: 'enviada · el cliente respondió',
    },
    dryRunStatus: 'enviada (simulación)',
    line: (emoji: string, card: string, recipient: string, when: string, status: string) =>
      `${emoji} *${card}* a ${recipient} · ${when} · ${status}`,
  },
  home: {
    title: 'Jelou Card',
    intro:
      'Envía una tarjeta de contacto de WhatsApp a un cliente: escribe `/jelou-card` en cualquier canal.',
    team: (sent: number, failed: number, unknown: number, inProgress: number) =>
      `*Equipo hasta ahora:* ${sent} enviadas · ${failed} no enviadas · ${unknown} inciertas · ${inProgress} en curso`,
    yours: '*Tus últimas tarjetas*',
  },
  button: {
    failed:
      'Lo siento, no funcionó por un problema de nuestro lado, y no se envió nada dos veces. Vuelve a intentarlo en un momento.',
  },
  retry: {
    notYours: 'Solo quien envió esta tarjeta puede volver a enviarla.',
    cancelNotYours: 'Solo quien envió esta tarjeta puede cancelarla.',
    notFound:
      'Este envío ya no está registrado (los envíos antiguos se eliminan después de un tiempo), así que no se puede volver a enviar.',
  },
  preview: {
    to: (recipient: string) => `*Para:* ${recipient} en WhatsApp`,
    toMany: (count: number) =>
      `*Para ${count} personas en WhatsApp* (cada una recibe la tarjeta por separado):`,
    intro:
      'Esta es la tarjeta que recibirá tu cliente. Pulsa *Enviar* para enviarla o *Editar* para cambiarla.',
    windowOpen: (who: string, ago: string) =>
      `${who} escribió por última vez ${ago}: WhatsApp aceptará la tarjeta.`,
    windowClosed: (who: string, ago: string) =>
      `${who} escribió por última vez ${ago}: WhatsApp rechazará ahora una tarjeta. *Enviar antes una plantilla* envía ahora una plantilla aprobada y la tarjeta en cuanto responda; *Enviar* intenta igualmente enviar la tarjeta tal cual.`,
    windowUnknown: (who: string) =>
      `No se sabe cuándo escribió ${who} por última vez (el historial reciente del bot no lo muestra). WhatsApp rechaza una tarjeta pasadas 24 horas desde su último mensaje.`,
    windowClosedMany: (names: string) =>
      `${names}: escribieron hace más de 24 horas, así que WhatsApp rechazará ahora sus tarjetas (cada una puede recibir una plantilla después de *Enviar*).`,
  },
  contacts: {
    introMany: (n: number) =>
      `Estos son los ${n} contactos que tu cliente recibirá, en un solo mensaje. Presiona *Enviar* para enviarlos.`,
    adding: (n: number) =>
      `*Contacto ${n}.* ${n === 2 ? 'El contacto que agregaste antes se conserva: lo verás' : `Los ${n - 1} contactos que agregaste antes se conservan: los verás`} junto a este en la vista previa.`,
    editing: (n: number, total: number) => `*Editando el contacto ${n} de ${total}.* Los demás se conservan.`,
    moreLines: (n: number) => (n === 1 ? '…y 1 línea más' : `…y ${n} líneas más`),
    notEditable:
      'Algunos contactos del archivo tienen datos que el formulario no puede mostrar (un segundo nombre, varios sitios web…), así que se pueden quitar pero no editar aquí. Para cambiar uno, edita el archivo y vuelve a adjuntarlo.',
  },
  vcf: {
    intro: (max: number) =>
      `Adjunta un archivo *.vcf* exportado de iPhone, Android, Google Contactos u Outlook. Verás cada contacto antes de que se envíe nada; un mensaje lleva hasta ${max} contactos.`,
    kept: (n: number) =>
      n === 1
        ? 'El contacto que ya agregaste se conserva; los del archivo van después.'
        : `Los ${n} contactos que ya agregaste se conservan; los del archivo van después.`,
    fileLabel: 'Archivo de contactos (.vcf)',
    full: (max: number) => `Esta tarjeta ya tiene ${max} contactos, el máximo que lleva un mensaje.`,
    refused:
      'Slack no dejó que la aplicación leyera el archivo. Un administrador debe agregar el permiso files:read y reinstalar la aplicación.',
    noneValid: (details: string) => `Ningún contacto del archivo se puede enviar tal como está. ${details}`,
    skipped: (n: number) =>
      n === 1
        ? '1 tarjeta del archivo no se pudo leer (o estaba vacía) y quedó fuera.'
        : `${n} tarjetas del archivo no se pudieron leer (o estaban vacías) y quedaron fuera.`,
    invalid: (name: string, reason: string) => `Quedó fuera *${name}*: ${reason}`,
    truncated: (inFile: number, kept: number, max: number) =>
      `El archivo tiene ${inFile} contactos; un mensaje lleva como máximo ${max}, así que solo se agregaron los primeros ${kept}.`,
    unnamed: (n: number) => `el contacto ${n} del archivo`,
  },
  download: {
    fileTitle: (card: string) => `Tarjeta de contacto: ${card}`,
    notYours: 'Solo la persona que envió esta tarjeta puede descargarla.',
    notFound:
      'Este envío ya no está registrado (los envíos antiguos se borran después de un tiempo), así que su tarjeta no se puede descargar.',
    failed: 'No pude enviarte el archivo .vcf en un mensaje directo. Inténtalo de nuevo en un momento.',
  },
  command: {
    hint: (text: string) =>
      `No reconocí "${text}" como un número de teléfono, así que elige el destinatario en el formulario. Escribe \`/jelou-card ayuda\` para ver cómo se usa.`,
    help: [
      '*`/jelou-card`* envía una tarjeta de contacto de WhatsApp a un cliente a través del bot de Jelou.',
      '• `/jelou-card` abre el formulario.',
      '• `/jelou-card +593 99 123 4567` lo abre con ese cliente ya elegido. En el formulario puedes elegir hasta 20 personas: cada una recibe la tarjeta, y un solo mensaje las sigue a todas.',
      '• `/jelou-card yo` lo abre con tu propia tarjeta, tomada de tu perfil de Slack (agrega un número para elegir también al cliente).',
      '• `/jelou-card historial` muestra tus últimas tarjetas y cómo les fue.',
      '• `/jelou-card ayuda` muestra este mensaje.',
      'Revisas la tarjeta antes de enviarla, y el resultado se publica en este canal.',
      'Desde cualquier lugar de Slack, el atajo *Enviar tarjeta de contacto* abre el mismo formulario y pregunta dónde publicar el resultado.',
    ].join('\n'),
    openFailed:
      'Slack no me dejó abrir el formulario a tiempo (pasa cuando Slack está lento). Vuelve a ejecutar /jelou-card.',
    profileFailed:
      'No pude leer tu perfil de Slack, así que el formulario se abre sin él. Pulsa *Usar mi perfil de Slack* en el formulario para intentarlo de nuevo.',
    notAllowed:
      'Lo siento, no puedes enviar tarjetas de contacto desde aquí. Pide a tu administrador de Slack que te agregue (a ti o a este canal) a la lista de permitidos de jelou-card.',
  },
  notification: {
    sending: (recipient: string, card: string, user: string) =>
      `:hourglass_flowing_sand: Enviando *${card}* a ${recipient} por WhatsApp… (solicitado por ${user})`,
    sent: (recipient: string, card: string, user: string) =>
      `:white_check_mark: Se envió *${card}* a ${recipient} por WhatsApp (por ${user}).`,
    sentDryRun: (recipient: string, card: string, user: string) =>
      `:test_tube: Simulación: *${card}* para ${recipient} se preparó pero *no se envió* (JELOU_DRY_RUN está activado). Solicitado por ${user}.`,
    failed: (recipient: string, card: string, user: string) =>
      `:x: No se pudo enviar *${card}* a ${recipient} por WhatsApp (solicitado por ${user}).`,
    unknown: (recipient: string, card: string, user: string) =>
      `:warning: Puede que *${card}* haya llegado o no a ${recipient} (solicitado por ${user}).`,
    unknownAdvice: 'Confírmalo con el cliente antes de volver a enviarla, para que no la reciba dos veces.',
    messageId: (id: string) => `ID del mensaje en Jelou: \`${id}\``,
    reason: (reason: string) => `*Motivo:* ${reason}`,
    attempt: (n: number) => `Intento ${n}`,
    waiting: (time: string) => `Jelou no responde; se volverá a intentar a las ${time}.`,
    batch: (emoji: string, card: string, count: number, user: string) =>
      `${emoji} *${card}* para ${count} personas por WhatsApp (solicitado por ${user})`,
    batchCounts: (sent: number, failed: number, unknown: number, inProgress: number) =>
      `*${sent} enviadas* · ${failed} no enviadas · ${unknown} inciertas · ${inProgress} en curso`,
    batchDryRun:
      ':test_tube: Simulación: la tarjeta se preparó para cada persona pero *no se envió* (JELOU_DRY_RUN está activado).',
    fallbackDm: (channel: string) =>
      `No pude mostrar el resultado en ${channel} (no estoy en ese canal, es privado, está archivado o restringido, o se borró el mensaje), así que aquí tienes el resultado de tu tarjeta.`,
    headsUpDm:
      'No pude publicar el resultado de tu tarjeta en este canal, así que te lo envié en un mensaje directo.',
    awaiting: (recipient: string, card: string, user: string) =>
      `:speech_balloon: *${card}* para ${recipient} espera a que responda a una plantilla (solicitado por ${user}).`,
    sentAfterReply: (recipient: string, card: string, user: string) =>
      `:white_check_mark: ${recipient} respondió · *${card}* enviada por WhatsApp (por ${user}).`,
    templateSending: (template: string) => `Enviando la plantilla *${template}*…`,
    templateSent: (template: string, time: string, name: string) =>
      `Plantilla *${template}* enviada ${time} · esperando a que ${name} responda.`,
    templateUncertain: (template: string) =>
      `Jelou no confirmó la plantilla *${template}*; la tarjeta igualmente sale en cuanto el cliente escriba.`,
    awaitUntil: (time: string) =>
      `Si no ha respondido antes de ${time}, la tarjeta no se envía y podrás reintentarlo.`,
    windowClosed:
      '*Envía antes una plantilla*: WhatsApp deja pasar una plantilla aprobada en cualquier momento, y la tarjeta sale sola cuando responda.',
    receipt: (words: string) => `Estado en WhatsApp: ${words}`,
    receipts: {
      delivered_channel: 'entregada a WhatsApp',
      delivered_user: 'entregada al teléfono',
      read: 'leída',
      replied: 'el cliente respondió',
    },
  },
  template: {
    title: 'Enviar una plantilla',
    submit: 'Enviar plantilla',
    loading: 'Cargando las plantillas aprobadas del bot…',
    intro: (recipient: string, card: string) =>
      `WhatsApp solo deja llegar a ${recipient} una plantilla aprobada. Cuando la responda, *${card}* se envía sola.`,
    cost: 'Las plantillas las aprueba WhatsApp y cada conversación que abren tiene un costo.',
    pick: 'Plantilla',
    pickPlaceholder: 'Elige una plantilla',
    parameter: (n: number) => `Parámetro {{${n}}}`,
    parameterHint: (max: number) => `Jelou acepta como máximo ${max} caracteres aquí.`,
    tooLong: (max: number, length: number) =>
      `Jelou acepta como máximo ${max} caracteres aquí; esto tiene ${length}. Acórtalo.`,
    required: 'Completa este parámetro: la plantilla lo necesita.',
    none: 'El bot no tiene ninguna plantilla aprobada que la aplicación pueda usar. Un administrador puede aprobar una en Jelou (y añadirla a JELOU_TEMPLATES).',
    unavailable:
      'Jelou no listó las plantillas ahora mismo. Cierra esto y vuelve a intentarlo en un momento.',
    notWaiting:
      'Esta tarjeta ya no espera una plantilla: alguien la reintentó o la canceló, o ya hay una plantilla en camino.',
    notYours: 'Solo quien envió esta tarjeta puede enviar una plantilla para ella.',
    expired: 'Esta tarjeta ya no está registrada, así que no se puede enviar una plantilla para ella.',
  },
  messageShortcut: {
    noNumbers: 'No se encontró ningún número de teléfono en el mensaje: elige o escribe el destinatario.',
    loadingVcf: 'Leyendo la tarjeta de contacto adjunta al mensaje…',
    vcfUnreadable: 'No se pudo leer el archivo .vcf del mensaje, así que completa la tarjeta aquí.',
    vcfLoaded: 'La tarjeta viene del archivo .vcf del mensaje: revísala y luego elige el destinatario.',
  },
  step: {
    input: (name: string, sentence: string) => `${name}: ${sentence}`,
    badIds:
      'card_owner debe ser un usuario de Slack y result_channel un canal de Slack: revisa lo que el flujo de trabajo les pasa.',
    notAllowed:
      'Este flujo de trabajo no puede enviar tarjetas de contacto: ALLOWED_USER_IDS está definido, así que el paso necesita como dueño de la tarjeta a alguien de la lista de permitidos de jelou-card.',
    channelNotAllowed:
      'jelou-card no puede publicar resultados en el canal de resultados del flujo de trabajo (ALLOWED_CHANNEL_IDS).',
    profileFailed:
      'No se pudo leer el perfil de Slack del dueño de la tarjeta, así que no se envió ninguna tarjeta. Vuelve a ejecutar el flujo de trabajo.',
    recordFailed:
      'No se pudo registrar la tarjeta, así que no se envió nada. Vuelve a ejecutar el flujo de trabajo.',
  },
};
