/**
 * The English catalogue: every sentence and label the Slack surface shows. It is the reference:
 * its shape is the `Catalogue` type, which every other language (es.ts) must match key for key.
 * Views and listeners never hold words of their own; they take them from `catalogue(locale)`.
 * Texts that will be interpolated into mrkdwn take already-escaped arguments.
 *
 * Slack's limits apply to every language: modal title, submit and close at most 24 characters,
 * option text 75, placeholders 150, input hints 2000 (test/slack/i18n.test.ts checks them).
 */
import type { AddressType, EmailType, PhoneType } from '../../card/index.js';
import type { Receipt, SendStatus } from '../../store/types.js';

export const en = {
  modal: {
    // Slack cuts title, submit and close at 24 characters.
    title: 'Send contact card',
    preview: 'Preview',
    send: 'Send',
    cancel: 'Cancel',
  },
  fields: {
    recipient: 'Send to (WhatsApp)',
    resultChannel: 'Post the result in',
    resultChannelHint: 'Leave it empty to get the result as a direct message from Jelou Card.',
    recipientPlaceholder: 'Search by name or number',
    recipientHint:
      'People who wrote to the bot recently, by name or number. Or type the full number with its country code, e.g. +593 99 123 4567. Up to 20 people: each gets the card.',
    formattedName: 'Name on the card',
    formattedNamePlaceholder: 'Juan Pérez',
    firstName: 'First name',
    lastName: 'Last name',
    phone: (n: number) => (n === 1 ? 'Phone' : `Phone ${n}`),
    phonePlaceholder: '+52 55 1234 5678',
    phoneType: (n: number) => (n === 1 ? 'Phone type' : `Phone ${n} type`),
    noWhatsApp: 'No WhatsApp on this number',
    whatsApp: (n: number) => (n === 1 ? 'WhatsApp' : `Phone ${n} on WhatsApp`),
    email: (n: number) => (n === 1 ? 'Email' : `Email ${n}`),
    emailPlaceholder: 'name@example.com',
    emailType: (n: number) => (n === 1 ? 'Email type' : `Email ${n} type`),
    addressHeader: (n: number) => (n === 1 ? '*Address*' : `*Address ${n}*`),
    street: 'Street',
    city: 'City',
    state: 'State or province',
    zip: 'Postal code',
    country: 'Country',
    countryCode: 'Country code',
    countryCodeHint: 'Two letters (ISO 3166-1), e.g. MX, EC, US.',
    addressType: 'Address type',
    company: 'Company',
    department: 'Department',
    title: 'Job title',
    website: 'Website',
    websitePlaceholder: 'https://example.com',
    birthday: 'Birthday',
    more: '*More about the contact*',
  },
  buttons: {
    useProfile: 'Use my Slack profile',
    addPhone: 'Add phone',
    addEmail: 'Add email',
    addAddress: 'Add address',
    backToEdit: 'Edit',
    retry: 'Retry',
    sendAgainAnyway: 'Send again anyway',
    cancel: 'Cancel',
    addContact: 'Add another contact',
    editContact: 'Edit',
    removeContact: 'Remove',
    attachVcf: 'Import from a .vcf file',
    backToForm: 'Type a contact instead',
    downloadVcf: 'Download .vcf',
    sendTemplate: 'Send a template first',
  },
  /** What the type menus show for each value sent to WhatsApp (the values never change with the language). */
  types: {
    phone: {
      Mobile: 'Mobile',
      Work: 'Work',
      Home: 'Home',
      Main: 'Main',
      iPhone: 'iPhone',
      Landline: 'Landline',
      Fax: 'Fax',
    } satisfies Record<PhoneType, string>,
    email: { Work: 'Work', Home: 'Home' } satisfies Record<EmailType, string>,
    address: { Office: 'Office', Home: 'Home' } satisfies Record<AddressType, string>,
  },
  recipientOption: {
    typed: (formatted: string) => `${formatted} (typed number)`,
    /** A typed number that matches a customer Jelou knows under another WhatsApp form of it. */
    typedKnown: (formatted: string, known: string, id: string) =>
      `${formatted} = ${known} (WhatsApp id ${id})`,
    /** A customer who hides their number behind a WhatsApp username (a business-scoped id). */
    hiddenNumber: (country: string) => `number hidden, ${country}`,
  },
  form: {
    recipientRequired:
      'Choose who receives the card: search a name or number, or type the full number with its country code.',
    tooManyRecipients: (max: number, chosen: number) =>
      `A card can go to at most ${max} people at once, and ${chosen} are chosen. Remove some, or send the card twice.`,
    expired: 'This form is out of date. Close it and run /jelou-card again.',
    profileFailed:
      "I couldn't read your Slack profile just now. Try *Use my Slack profile* again in a moment, or fill in the card by hand.",
    channelExternal:
      'This channel is shared with another organisation (Slack Connect): choose a channel only your company is in, or leave it empty for a DM.',
    channelUnreachable:
      "I can't post in this channel (it is private and I'm not in it, or archived). Invite me with /invite, choose another, or leave it empty for a DM.",
    channelNotAllowed:
      'Pick one of the channels jelou-card may be used in: neither this choice nor a direct message is on its allowed list.',
    closed: 'Close',
  },
  history: {
    title: 'Your latest contact cards',
    empty: "You haven't sent any contact cards yet. Type `/jelou-card` to send one.",
    status: {
      pending: 'waiting to send',
      sending: 'sending',
      sent: 'sent',
      failed: 'not sent',
      unknown: 'may or may not have arrived',
      awaiting_reply: 'waiting for the customer to answer a template',
    } satisfies Record<SendStatus, string>,
    /** The furthest receipt Jelou reported for a sent card. */
    receipt: {
      delivered_channel: 'sent · delivered to WhatsApp',
      delivered_user: 'sent · delivered to the phone',
      read: 'sent · read',
      replied: 'sent · the customer replied',
    } satisfies Record<Receipt, string>,
    dryRunStatus: 'sent (dry run)',
    line: (emoji: string, card: string, recipient: string, when: string, status: string) =>
      `${emoji} *${card}* to ${recipient} · ${when} · ${status}`,
  },
  home: {
    title: 'Jelou Card',
    intro: 'Send a WhatsApp contact card to a customer: type `/jelou-card` in any channel.',
    team: (sent: number, failed: number, unknown: number, inProgress: number) =>
      `*Team so far:* ${sent} sent · ${failed} not sent · ${unknown} uncertain · ${inProgress} in progress`,
    yours: '*Your latest cards*',
  },
  button: {
    failed:
      "Sorry, that didn't work because of a problem on our side, and nothing was sent twice. Please try again in a moment.",
  },
  retry: {
    notYours: 'Only the person who sent this card can send it again.',
    cancelNotYours: 'Only the person who sent this card can cancel it.',
    notFound:
      'This send is no longer on record (old sends are removed after a while), so it cannot be sent again.',
  },
  preview: {
    to: (recipient: string) => `*To:* ${recipient} on WhatsApp`,
    toMany: (count: number) => `*To ${count} people on WhatsApp* (each gets the card on its own):`,
    intro: 'This is the card your customer will receive. Press *Send* to send it, or *Edit* to change it.',
    /** WhatsApp's 24-hour window, as far as the bot's history tells (issue 15). */
    windowOpen: (who: string, ago: string) => `${who} last wrote ${ago}: WhatsApp will take the card.`,
    windowClosed: (who: string, ago: string) =>
      `${who} last wrote ${ago}: WhatsApp will refuse a card now. *Send a template first* sends an approved template now and the card as soon as they answer; *Send* still tries the card as it is.`,
    windowUnknown: (who: string) =>
      `When ${who} last wrote is not known (the bot's recent history does not show it). WhatsApp refuses a card more than 24 hours after their last message.`,
    windowClosedMany: (names: string) =>
      `${names}: last wrote more than 24 hours ago, so WhatsApp will refuse their cards now (each can get a template after *Send*).`,
  },
  /** Several contacts in one card: adding, editing and removing them. */
  contacts: {
    introMany: (n: number) =>
      `These are the ${n} contacts your customer will receive, in one message. Press *Send* to send them.`,
    adding: (n: number) =>
      `*Contact ${n}.* The ${n === 2 ? 'contact' : `${n - 1} contacts`} you added before ${n === 2 ? 'is' : 'are'} kept: you will see ${n === 2 ? 'it' : 'them'} with this one in the preview.`,
    editing: (n: number, total: number) => `*Editing contact ${n} of ${total}.* The others are kept.`,
    moreLines: (n: number) => (n === 1 ? '…and 1 more line' : `…and ${n} more lines`),
    notEditable:
      'Some contacts from the file have details the form cannot show (a middle name, several websites…), so they can be removed but not edited here. To change one, edit the file and attach it again.',
  },
  /** Attaching a .vcf file. */
  vcf: {
    intro: (max: number) =>
      `Attach a *.vcf* file exported from iPhone, Android, Google Contacts or Outlook. You will see every contact before anything is sent; one message carries up to ${max} contacts.`,
    kept: (n: number) =>
      n === 1
        ? 'The contact you already added is kept; the file’s contacts come after it.'
        : `The ${n} contacts you already added are kept; the file’s contacts come after them.`,
    fileLabel: 'Contact file (.vcf)',
    full: (max: number) => `This card already has ${max} contacts, the most one message carries.`,
    refused:
      'Slack did not let the app read the file. An admin must add the files:read scope and reinstall the app.',
    noneValid: (details: string) => `None of the file’s contacts can be sent as they are. ${details}`,
    skipped: (n: number) =>
      n === 1
        ? '1 card in the file could not be read (or was empty) and was left out.'
        : `${n} cards in the file could not be read (or were empty) and were left out.`,
    invalid: (name: string, reason: string) => `Left out *${name}*: ${reason}`,
    truncated: (inFile: number, kept: number, max: number) =>
      `The file holds ${inFile} contacts; one message carries at most ${max}, so only the first ${kept} were added.`,
    unnamed: (n: number) => `contact ${n} of the file`,
  },
  /** "Download .vcf" on a send's notification. */
  download: {
    fileTitle: (card: string) => `Contact card: ${card}`,
    notYours: 'Only the person who sent this card can download it.',
    notFound:
      'This send is no longer on record (old sends are removed after a while), so its card cannot be downloaded.',
    failed: 'I could not send you the .vcf file in a direct message. Please try again in a moment.',
  },
  command: {
    hint: (text: string) =>
      `I didn't recognise "${text}" as a phone number, so pick the recipient in the form. Type \`/jelou-card help\` for usage.`,
    help: [
      '*`/jelou-card`* sends a WhatsApp contact card to a customer through the Jelou bot.',
      '• `/jelou-card` opens the form.',
      '• `/jelou-card +593 99 123 4567` opens it with that customer already chosen. In the form you can pick up to 20 people: each gets the card, and one message follows them all.',
      '• `/jelou-card me` opens it filled with your own card, from your Slack profile (add a number to choose the customer too).',
      '• `/jelou-card history` lists your latest cards and how they went.',
      '• `/jelou-card help` shows this message.',
      'You review the card before it is sent, and the result is posted in this channel.',
      'From anywhere in Slack, the *Send contact card* shortcut opens the same form and asks where to post the result.',
    ].join('\n'),
    openFailed:
      'Slack did not let me open the form in time (this happens when Slack is slow). Please run /jelou-card again.',
    profileFailed:
      "I couldn't read your Slack profile, so the form opens without it. Press *Use my Slack profile* in the form to try again.",
    notAllowed:
      "Sorry, you can't send contact cards from here. Ask your Slack admin to add you (or this channel) to jelou-card's allowed list.",
  },
  notification: {
    sending: (recipient: string, card: string, user: string) =>
      `:hourglass_flowing_sand: Sending *${card}* to ${recipient} on WhatsApp… (requested by ${user})`,
    sent: (recipient: string, card: string, user: string) =>
      `:white_check_mark: Sent *${card}* to ${recipient} on WhatsApp (by ${user}).`,
    sentDryRun: (recipient: string, card: string, user: string) =>
      `:test_tube: Dry run: *${card}* to ${recipient} was prepared but *not sent* (JELOU_DRY_RUN is on). Requested by ${user}.`,
    failed: (recipient: string, card: string, user: string) =>
      `:x: Could not send *${card}* to ${recipient} on WhatsApp (requested by ${user}).`,
    unknown: (recipient: string, card: string, user: string) =>
      `:warning: *${card}* to ${recipient} may or may not have arrived (requested by ${user}).`,
    unknownAdvice: 'Check with the customer before sending it again, so they do not get it twice.',
    messageId: (id: string) => `Jelou message id: \`${id}\``,
    reason: (reason: string) => `*Why:* ${reason}`,
    attempt: (n: number) => `Attempt ${n}`,
    waiting: (time: string) => `Jelou is not answering; trying again at ${time}.`,
    batch: (emoji: string, card: string, count: number, user: string) =>
      `${emoji} *${card}* to ${count} people on WhatsApp (requested by ${user})`,
    batchCounts: (sent: number, failed: number, unknown: number, inProgress: number) =>
      `*${sent} sent* · ${failed} not sent · ${unknown} uncertain · ${inProgress} in progress`,
    batchDryRun:
      ':test_tube: Dry run: the card was prepared for each person but *not sent* (JELOU_DRY_RUN is on).',
    fallbackDm: (channel: string) =>
      `I couldn't show the result in ${channel} (I'm not in it, it is private, archived or restricted, or the message was deleted), so here is the result of your card.`,
    headsUpDm:
      "I couldn't post the result of your card in this channel, so I sent it to you in a direct message from me.",
    awaiting: (recipient: string, card: string, user: string) =>
      `:speech_balloon: *${card}* for ${recipient} waits for them to answer a template (requested by ${user}).`,
    sentAfterReply: (recipient: string, card: string, user: string) =>
      `:white_check_mark: ${recipient} answered · *${card}* sent on WhatsApp (by ${user}).`,
    templateSending: (template: string) => `Sending the template *${template}*…`,
    templateSent: (template: string, time: string, name: string) =>
      `Template *${template}* sent ${time} · waiting for ${name} to answer.`,
    templateUncertain: (template: string) =>
      `Jelou did not confirm the template *${template}*; the card still goes as soon as the customer writes.`,
    awaitUntil: (time: string) =>
      `If they have not answered by ${time}, the card is not sent and you can retry.`,
    windowClosed:
      '*Send a template first*: WhatsApp lets an approved template through at any time, and the card follows by itself when they answer.',
    receipt: (words: string) => `WhatsApp: ${words}`,
    receipts: {
      delivered_channel: 'delivered to WhatsApp',
      delivered_user: 'delivered to the phone',
      read: 'read',
      replied: 'the customer replied',
    } satisfies Record<Receipt, string>,
  },
  /** "Send a template first": the modal that picks an approved template and fills its parameters. */
  template: {
    // Slack cuts title, submit and close at 24 characters.
    title: 'Send a template',
    submit: 'Send template',
    loading: "Loading the bot's approved templates…",
    intro: (recipient: string, card: string) =>
      `WhatsApp lets only an approved template reach ${recipient} now. Once they answer it, *${card}* is sent by itself.`,
    cost: 'Templates are approved by WhatsApp and each conversation they open costs money.',
    pick: 'Template',
    pickPlaceholder: 'Choose a template',
    parameter: (n: number) => `Parameter {{${n}}}`,
    parameterHint: (max: number) => `Jelou accepts at most ${max} characters here.`,
    tooLong: (max: number, length: number) =>
      `Jelou accepts at most ${max} characters here; this has ${length}. Shorten it.`,
    required: 'Fill in this parameter: the template needs it.',
    none: 'The bot has no approved template the app may use. An admin can approve one in Jelou (and list it in JELOU_TEMPLATES).',
    unavailable: 'Jelou did not list the templates just now. Close this and try again in a moment.',
    notWaiting:
      'This card is no longer waiting for a template: someone retried or cancelled it, or a template is already on its way.',
    notYours: 'Only the person who sent this card can send a template for it.',
    expired: 'This card is no longer on record, so no template can be sent for it.',
  },
  /** The Workflow Builder step: what its failures say to whoever reads the workflow's activity. */
  /** The message shortcut "Send contact card": hints above the form it opens. */
  messageShortcut: {
    noNumbers: 'No phone number was found in the message: pick or type the recipient.',
    loadingVcf: 'Reading the contact card attached to the message…',
    vcfUnreadable: "The message's .vcf file could not be read, so fill in the card here.",
    vcfLoaded: 'The card comes from the .vcf file in the message: review it, then pick the recipient.',
  },
  step: {
    /** Names the step's input an issue is about: `recipient: Use the full number…`. */
    input: (name: string, sentence: string) => `${name}: ${sentence}`,
    badIds:
      'card_owner must be a Slack user and result_channel a Slack channel: check what the workflow passes to them.',
    notAllowed:
      "This workflow may not send contact cards: ALLOWED_USER_IDS is set, so the step needs a card owner on jelou-card's allowed list.",
    channelNotAllowed:
      "jelou-card may not post results in the workflow's result channel (ALLOWED_CHANNEL_IDS).",
    profileFailed:
      "The card owner's Slack profile could not be read, so no card was sent. Try the workflow again.",
    recordFailed: 'The card could not be recorded, so nothing was sent. Try the workflow again.',
  },
};

/** The shape every language's catalogue has: the English one's keys, functions and parameters. */
export type Catalogue = typeof en;
