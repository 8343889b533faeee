/**
 * Slack files against the loopback stand-in: downloading an attached file with the bot token, and
 * posting a .vcf through the real WebClient's filesUploadV2 (three calls to the Web API).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseVcf, toVcf } from '../../src/card/vcard.js';
import { CodedError, ErrorCode } from '../../src/errors.js';
import {
  type DownloadOptions,
  downloadSlackFile,
  fileDownloadUrl,
  SlackFileError,
  type SlackFileErrorReason,
  slackFileOrigins,
  uploadVcf,
} from '../../src/slack/files.js';
import { type SlackStandIn, startSlackStandIn } from '../support/slack-standin.js';

const TOKEN = 'xoxb-0000000000-2222222222-filesTestBotToken';
const VCF = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Núñez 🐉\r\nTEL;TYPE=CELL:+593991234567\r\nEND:VCARD\r\n';

let slack: SlackStandIn;
/** A download from the stand-in, which serves files from its own origin (Slack's would be files.slack.com). */
const download = (options: Omit<DownloadOptions, 'allowedOrigins'>) =>
  downloadSlackFile({ allowedOrigins: slackFileOrigins(slack.apiUrl), ...options });

beforeEach(async () => {
  slack = await startSlackStandIn();
});

afterEach(async () => {
  await slack.close();
});

/** What the download rejects with; fails when it resolves. */
async function downloadError(run: Promise<string>): Promise<SlackFileError> {
  const error = await run.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(SlackFileError);
  if (!(error instanceof SlackFileError)) throw new Error('expected a SlackFileError');
  return error;
}

describe('downloadSlackFile', () => {
  it('returns the text of the file for the bot token, ready for parseVcf', async () => {
    const file = slack.serveFile(VCF, { token: TOKEN, name: 'Ana.vcf' });
    const url = fileDownloadUrl(file);
    if (url === undefined) throw new Error('no url');
    const text = await download({ url, token: TOKEN });
    expect(text).toBe(VCF);
    expect(parseVcf(text).contacts).toEqual([
      { formattedName: 'Ana Núñez 🐉', phones: [{ number: '+593991234567', type: 'Mobile' }] },
    ]);
  });

  it('reads a file that is not UTF-8 as Windows-1252, as Outlook on Windows writes it', async () => {
    const file = slack.serveFile(Buffer.from('FN:Mar\xeda Pe\xf1a', 'latin1'), { token: TOKEN });
    expect(await download({ url: file.url_private_download, token: TOKEN })).toBe('FN:María Peña');
  });

  // Outlook and Windows Contacts export .vcf files in UTF-16 with a byte-order mark.
  it.each([
    ['UTF-16 LE', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(VCF, 'utf16le')])],
    ['UTF-16 BE', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(VCF, 'utf16le').swap16()])],
  ])('reads a %s file with its byte-order mark, ready for parseVcf', async (_, bytes) => {
    const file = slack.serveFile(bytes, { token: TOKEN });
    const text = await download({ url: file.url_private_download, token: TOKEN });
    expect(text).toBe(VCF);
    expect(parseVcf(text).contacts).toEqual([
      { formattedName: 'Ana Núñez 🐉', phones: [{ number: '+593991234567', type: 'Mobile' }] },
    ]);
  });

  it('drops a UTF-8 byte-order mark', async () => {
    const file = slack.serveFile(`\uFEFF${VCF}`, { token: TOKEN });
    expect(await download({ url: file.url_private_download, token: TOKEN })).toBe(VCF);
  });

  it.each<[string, () => Promise<string>, SlackFileErrorReason, ErrorCode, number | undefined]>([
    [
      'another token (Slack redirects to sign in)',
      () => download({ url: slack.serveFile(VCF, { token: TOKEN }).url_private, token: 'xoxb-wrong' }),
      'refused',
      ErrorCode.FileDownloadFailed,
      302,
    ],
    [
      'a deleted file (404)',
      () =>
        download({
          url: slack.serveFile(VCF, { token: TOKEN, httpStatus: 404 }).url_private_download,
          token: TOKEN,
        }),
      'status',
      ErrorCode.FileDownloadFailed,
      404,
    ],
    [
      'a file over the limit',
      () =>
        download({
          url: slack.serveFile('x'.repeat(2049), { token: TOKEN }).url_private_download,
          token: TOKEN,
          maxBytes: 2048,
        }),
      'too_large',
      ErrorCode.FileTooLarge,
      undefined,
    ],
    [
      'a file that does not arrive in time',
      () =>
        download({
          url: slack.serveFile(VCF, { token: TOKEN, delayMs: 10_000 }).url_private_download,
          token: TOKEN,
          timeoutMs: 200,
        }),
      'timeout',
      ErrorCode.FileDownloadFailed,
      undefined,
    ],
    [
      'a URL with another scheme',
      () => download({ url: 'file:///etc/passwd', token: TOKEN }),
      'status',
      ErrorCode.FileDownloadFailed,
      undefined,
    ],
  ])('refuses %s', async (_what, run, reason, code, status) => {
    const error = await downloadError(run());
    expect(error.reason).toBe(reason);
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).not.toContain('127.0.0.1');
  });

  it('refuses a file exactly one byte over the limit and reads one at the limit', async () => {
    const file = slack.serveFile('y'.repeat(1000), { token: TOKEN });
    expect(await download({ url: file.url_private_download, token: TOKEN, maxBytes: 1000 })).toHaveLength(
      1000,
    );
    const error = await downloadError(
      download({ url: file.url_private_download, token: TOKEN, maxBytes: 999 }),
    );
    expect(error.reason).toBe('too_large');
  });

  it('fails as a network error, without the token, when nothing listens', async () => {
    const file = slack.serveFile(VCF, { token: TOKEN });
    await slack.close();
    const error = await downloadError(download({ url: file.url_private_download, token: TOKEN }));
    expect(error.reason).toBe('network');
    expect(JSON.stringify({ message: error.message, cause: String(error.cause) })).not.toContain(TOKEN);
    slack = await startSlackStandIn();
  });
});

describe('fileDownloadUrl', () => {
  it('prefers url_private_download and falls back to url_private', () => {
    expect(fileDownloadUrl({ url_private_download: 'https://a/d', url_private: 'https://a/p' })).toBe(
      'https://a/d',
    );
    expect(fileDownloadUrl({ url_private: 'https://a/p' })).toBe('https://a/p');
    expect(fileDownloadUrl({})).toBeUndefined();
  });
});

describe('uploadVcf', () => {
  const client = () =>
    new webApi.WebClient(TOKEN, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  const content = toVcf([
    {
      name: { formatted_name: 'Ana Núñez 🐉', first_name: 'Ana', last_name: 'Núñez' },
      phones: [{ phone: '+593991234567', wa_id: '593991234567', type: 'Mobile' }],
    },
  ]);

  it('posts the file in a thread through getUploadURLExternal, the upload and completeUploadExternal', async () => {
    const id = await uploadVcf(client(), {
      channelId: 'C0CHANNEL',
      threadTs: '1700000000.000100',
      filename: 'Ana Núñez.vcf',
      content,
      title: 'Ana Núñez',
    });
    expect(slack.uploads).toEqual([
      {
        fileId: id,
        filename: 'Ana Núñez.vcf',
        title: 'Ana Núñez',
        bytes: Buffer.from(content, 'utf8'),
        channelId: 'C0CHANNEL',
        threadTs: '1700000000.000100',
        authorization: `Bearer ${TOKEN}`,
      },
    ]);
    expect(slack.callsTo('files.getUploadURLExternal').map((call) => call.args)).toEqual([
      expect.objectContaining({
        filename: 'Ana Núñez.vcf',
        length: String(Buffer.byteLength(content, 'utf8')),
      }),
    ]);
  });

  it('posts in the channel when there is no thread', async () => {
    await uploadVcf(client(), { channelId: 'C0CHANNEL', filename: 'a.vcf', content, title: 'a' });
    expect(slack.uploads.map(({ channelId, threadTs }) => ({ channelId, threadTs }))).toEqual([
      { channelId: 'C0CHANNEL', threadTs: undefined },
    ]);
  });

  it("fails with file_upload_failed and Slack's error when Slack refuses", async () => {
    slack.on('files.completeUploadExternal', () => ({ ok: false, error: 'not_in_channel' }));
    const error = await uploadVcf(client(), {
      channelId: 'C0OTHER',
      filename: 'a.vcf',
      content,
      title: 'a',
    }).then(
      () => undefined,
      (rejection: unknown) => rejection,
    );
    expect(error).toBeInstanceOf(CodedError);
    expect(error).toMatchObject({
      code: ErrorCode.FileUploadFailed,
      message: 'file upload failed: not_in_channel',
    });
    expect(slack.uploads).toEqual([]);
  });
});

describe('where the bot token may go', () => {
  it('never sends it to a host Slack does not serve files from, even one the payload names', async () => {
    const seen: (string | undefined)[] = [];
    const elsewhere = createServer((request, response) => {
      seen.push(request.headers.authorization);
      response.end('BEGIN:VCARD');
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = elsewhere.address() as AddressInfo;
      const error = await downloadError(
        downloadSlackFile({
          url: `http://127.0.0.1:${port}/files/F1/contacts.vcf`,
          token: 'xoxb-1-2-secret',
          allowedOrigins: slackFileOrigins(undefined),
        }),
      );
      expect(error.reason).toBe('refused');
      expect(error.message).not.toContain('secret');
      expect(seen).toEqual([]);
    } finally {
      elsewhere.close();
    }
  });

  it('allows files.slack.com, and the Web API origin when SLACK_API_URL points elsewhere', () => {
    expect(slackFileOrigins(undefined)).toEqual(['https://files.slack.com']);
    expect(slackFileOrigins('http://127.0.0.1:4000/api/')).toEqual([
      'https://files.slack.com',
      'http://127.0.0.1:4000',
    ]);
  });
});
