/**
 * Files in Slack: downloading one a person attached (a `file_input` in a modal) and posting the
 * card that was sent as a .vcf file. Needs the bot scopes `files:read` (download) and
 * `files:write` (upload).
 */
import type { webApi } from '@slack/bolt';
import { type Dispatcher, request } from 'undici';
import { CodedError, ErrorCode } from '../errors.js';
import { slackErrorCode } from './api-errors.js';

/** Largest file read by default: what `parseVcf` accepts, 1 MiB. */
export const DEFAULT_DOWNLOAD_MAX_BYTES = 1024 * 1024;

/**
 * Whole download, headers and body, in 10 s by default: Slack serves files from a CDN in well
 * under a second, and a person is waiting on the modal meanwhile.
 */
export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 10_000;

/** Why a download failed. */
export type SlackFileErrorReason =
  /** Larger than the limit (announced by Content-Length, or found while reading). */
  | 'too_large'
  /** No answer in time. */
  | 'timeout'
  /** Slack would not give the file to this token: wrong token, or one without `files:read`. */
  | 'refused'
  /** Any other HTTP status (404 for a deleted file, 5xx). */
  | 'status'
  /** The connection failed. */
  | 'network';

/**
 * Thrown by {@link downloadSlackFile}. `too_large` has the code `file_too_large`, every other
 * reason `file_download_failed`. Its message never holds the token or the file's URL.
 */
export class SlackFileError extends CodedError {
  readonly reason: SlackFileErrorReason;
  /** The HTTP status, when one arrived. */
  readonly status: number | undefined;

  constructor(reason: SlackFileErrorReason, message: string, options?: { cause?: unknown; status?: number }) {
    super(
      reason === 'too_large' ? ErrorCode.FileTooLarge : ErrorCode.FileDownloadFailed,
      message,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'SlackFileError';
    this.reason = reason;
    this.status = options?.status;
  }
}

/** The parts of a Slack file object (as `file_input` reports it) a download needs. */
export type SlackFileRef = {
  readonly url_private_download?: string | undefined;
  readonly url_private?: string | undefined;
};

/** The URL to download `file` from: `url_private_download`, else `url_private`. */
export function fileDownloadUrl(file: SlackFileRef): string | undefined {
  return file.url_private_download ?? file.url_private;
}

/** Where Slack serves files: files.slack.com, and the Web API's own origin when it is set elsewhere (a stand-in). */
export function slackFileOrigins(apiUrl: string | undefined): string[] {
  const origins = ['https://files.slack.com'];
  if (apiUrl !== undefined) origins.push(new URL(apiUrl).origin);
  return origins;
}

/** What {@link downloadSlackFile} needs. */
export type DownloadOptions = {
  /** `url_private_download` (or `url_private`) of the file. */
  readonly url: string;
  /** The bot token (`xoxb-`), sent as a Bearer credential; it needs `files:read`. */
  readonly token: string;
  /**
   * Origins the token may be sent to (see {@link slackFileOrigins}). A file object comes in a
   * request payload; its URL must never carry the bot token to a host that is not Slack's.
   */
  readonly allowedOrigins: readonly string[];
  /** Refuse files larger than this; defaults to {@link DEFAULT_DOWNLOAD_MAX_BYTES}. */
  readonly maxBytes?: number;
  /** Give up after this long; defaults to {@link DEFAULT_DOWNLOAD_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
  /** undici dispatcher to use instead of the global one (a proxy agent, a test's mock). */
  readonly dispatcher?: Dispatcher;
};

/**
 * Downloads a file a person shared with the app and returns its text: UTF-8, or Windows-1252 when
 * the bytes are not valid UTF-8 (what Outlook on Windows writes), with any byte-order mark
 * removed. Throws {@link SlackFileError} and nothing else.
 */
export async function downloadSlackFile(options: DownloadOptions): Promise<string> {
  const maxBytes = options.maxBytes ?? DEFAULT_DOWNLOAD_MAX_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS;
  let url: URL;
  try {
    url = new URL(options.url);
  } catch (error) {
    throw new SlackFileError('status', 'file URL is not a URL', { cause: error });
  }
  // The token goes only where Slack serves files: never over a scheme a URL could smuggle in.
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new SlackFileError('status', `file URL has the scheme ${url.protocol}`);
  }
  if (!options.allowedOrigins.includes(url.origin)) {
    throw new SlackFileError('refused', 'file URL is not on a host Slack serves files from');
  }

  const signal = AbortSignal.timeout(timeoutMs);
  let bytes: Buffer;
  try {
    const response = await request(url, {
      method: 'GET',
      headers: { authorization: `Bearer ${options.token}` },
      signal,
      ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
    });
    bytes = await readFile(response, maxBytes);
  } catch (error) {
    if (error instanceof SlackFileError) throw error;
    if (signal.aborted) throw new SlackFileError('timeout', `file download took over ${timeoutMs} ms`);
    // undici's errors name the host and the failure, never the headers sent.
    throw new SlackFileError('network', 'file download failed', { cause: error });
  }
  return decodeText(bytes);
}

/** Stops reading a body we will not use and closes its socket. */
function abandon(body: Dispatcher.ResponseData['body']): void {
  // undici's body emits an AbortError when destroyed; nobody waits on it any more.
  body.on('error', () => {});
  body.destroy();
}

async function readFile(response: Dispatcher.ResponseData, maxBytes: number): Promise<Buffer> {
  const { statusCode, headers, body } = response;
  const type = String(headers['content-type'] ?? '');
  // Slack answers a token it will not serve the file to (invalid, or without files:read) with a
  // redirect to its sign-in page, or that page itself with 200: neither is the file.
  if (statusCode === 401 || statusCode === 403 || (statusCode >= 300 && statusCode < 400)) {
    abandon(body);
    throw new SlackFileError('refused', `Slack refused the file (HTTP ${statusCode})`, {
      status: statusCode,
    });
  }
  if (statusCode < 200 || statusCode >= 300) {
    abandon(body);
    throw new SlackFileError('status', `file download answered HTTP ${statusCode}`, { status: statusCode });
  }
  if (/^text\/html\b/iu.test(type)) {
    abandon(body);
    throw new SlackFileError('refused', 'Slack answered a web page instead of the file', {
      status: statusCode,
    });
  }
  const announced = Number(headers['content-length']);
  if (Number.isFinite(announced) && announced > maxBytes) {
    abandon(body);
    throw new SlackFileError('too_large', `file of ${announced} bytes is over ${maxBytes}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    size += buffer.length;
    // Counted as it arrives: a missing or lying Content-Length cannot make us hold more.
    if (size > maxBytes) {
      abandon(body);
      throw new SlackFileError('too_large', `file is over ${maxBytes} bytes`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function decodeText(bytes: Buffer): string {
  // Outlook and Windows' Contacts export .vcf in UTF-16 with a byte-order mark (RFC 6350 wants
  // UTF-8, but the files people attach are what their address book wrote).
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** What {@link uploadVcf} posts. */
export type VcfUpload = {
  readonly channelId: string;
  /** Post in this thread rather than in the channel. */
  readonly threadTs?: string | undefined;
  /** e.g. `Ana Pérez.vcf`. */
  readonly filename: string;
  /** The file's text, as `toVcf` writes it; sent as UTF-8. */
  readonly content: string;
  /** The title Slack shows above the file. */
  readonly title: string;
};

/** The Web API methods {@link uploadVcf} uses. */
export type FilesClient = Pick<webApi.WebClient, 'filesUploadV2'>;

/**
 * Posts a .vcf file to a channel or thread with the bot token (`files:write`), through the
 * WebClient's `filesUploadV2`: files.getUploadURLExternal, then the upload, then
 * files.completeUploadExternal. Returns the new file's id. Throws a {@link CodedError} with the
 * code `file_upload_failed` and the Web API's error as its cause.
 */
export async function uploadVcf(client: FilesClient, upload: VcfUpload): Promise<string> {
  let result: Awaited<ReturnType<FilesClient['filesUploadV2']>>;
  try {
    const file = {
      filename: upload.filename,
      title: upload.title,
      // A Buffer, so the bytes are exactly the UTF-8 of the text whatever the WebClient does.
      file: Buffer.from(upload.content, 'utf8'),
    };
    result = await client.filesUploadV2(
      upload.threadTs === undefined
        ? { ...file, channel_id: upload.channelId }
        : { ...file, channel_id: upload.channelId, thread_ts: upload.threadTs },
    );
  } catch (error) {
    throw new CodedError(ErrorCode.FileUploadFailed, `file upload failed: ${describe(error)}`, {
      cause: error,
    });
  }
  const id = result.files.flatMap((completion) => completion.files ?? [])[0]?.id;
  if (id === undefined) throw new CodedError(ErrorCode.FileUploadFailed, 'file upload returned no file');
  return id;
}

// The Web API's error code ("not_in_channel") is the useful part; other errors give their name.
function describe(error: unknown): string {
  return slackErrorCode(error) ?? (error instanceof Error ? error.name : 'unknown error');
}
