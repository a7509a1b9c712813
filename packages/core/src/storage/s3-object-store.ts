/** `ObjectStore` over `@aws-sdk/client-s3`. The S3 client is built by the app's composition root and passed in. */
import type { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NotFound,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { formatUrl } from '@aws-sdk/core/util';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl, S3RequestPresigner } from '@aws-sdk/s3-request-presigner';
import { HttpRequest } from '@smithy/core/protocols';
import type { ObjectStore, StoredObjectInfo } from './object-store';

function isMissing(error: unknown): boolean {
  if (error instanceof NotFound || error instanceof NoSuchKey) return true;
  return error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404;
}

/** The key presigned once to learn where this bucket's objects live and how requests to it are signed. */
const PROBE_KEY = 'restoreclick-presign-probe';

/** Where a GET of one of the bucket's objects goes and how it is signed: everything but the key. */
interface PresignTemplate {
  presigner: S3RequestPresigner;
  protocol: string;
  hostname: string;
  port: number | undefined;
  /** The path before the key: `/bucket` with path-style addressing, empty with virtual-hosted style. */
  pathPrefix: string;
  signingRegion: string;
  signingService: string;
  /** The query the SDK adds to every GetObject (`x-id`, `x-amz-checksum-mode`, …), signatures aside. */
  query: Record<string, string>;
}

/** Query parameters the signer itself writes: not part of the template. */
const SIGNATURE_PARAMS = new Set([
  'X-Amz-Algorithm',
  'X-Amz-Content-Sha256',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-Signature',
  'X-Amz-SignedHeaders',
  'X-Amz-Security-Token',
]);

/** S3 keys go in the path with every character but `/` and the unreserved ones percent-encoded. */
function encodeKey(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(
        /[!'()*]/g,
        (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/');
}

export class S3ObjectStore implements ObjectStore {
  private presignTemplate: Promise<PresignTemplate> | undefined;

  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
  ) {}

  async put(
    key: string,
    body: Buffer | Uint8Array | Readable,
    options: { contentType?: string; contentLength?: number } = {},
  ): Promise<void> {
    if (
      options.contentLength !== undefined ||
      Buffer.isBuffer(body) ||
      body instanceof Uint8Array
    ) {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: options.contentType,
          ContentLength: options.contentLength ?? (body as Uint8Array).length,
        }),
      );
      return;
    }
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: body, ContentType: options.contentType },
      queueSize: 2,
      partSize: 5 * 1024 * 1024,
      leavePartsOnError: false,
    });
    await upload.done();
  }

  async getStream(key: string): Promise<Readable> {
    const response = await this.client.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: key }),
    );
    return response.Body as Readable;
  }

  async getBuffer(key: string): Promise<Buffer> {
    const response = await this.client.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: key }),
    );
    if (!response.Body) return Buffer.alloc(0);
    return Buffer.from(await response.Body.transformToByteArray());
  }

  async head(key: string): Promise<StoredObjectInfo | undefined> {
    try {
      const response = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: key }),
      );
      return {
        key,
        bytes: response.ContentLength ?? 0,
        contentType: response.ContentType,
        etag: response.ETag,
      };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async copy(fromKey: string, toKey: string): Promise<void> {
    await this.client.send(
      new CopyObjectCommand({
        Bucket: this.bucket,
        Key: toKey,
        CopySource: `${this.bucket}/${fromKey.split('/').map(encodeURIComponent).join('/')}`,
      }),
    );
  }

  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }

  async list(prefix: string): Promise<StoredObjectInfo[]> {
    const objects: StoredObjectInfo[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          ContinuationToken: continuationToken,
        }),
      );
      for (const item of page.Contents ?? []) {
        if (!item.Key) continue;
        objects.push({
          key: item.Key,
          bytes: item.Size ?? 0,
          contentType: undefined,
          etag: item.ETag,
        });
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken);
    return objects;
  }

  /**
   * A GET URL signed for `expiresInSeconds`. `getSignedUrl` resolves the endpoint and runs the client's whole
   * middleware stack on every call (~0.3 ms; an order page signs a dozen URLs), so it runs once, for a probe
   * key, to learn the endpoint, addressing style and signing scope; each URL after that is that request with
   * the key swapped in, signed by one long-lived presigner (it keeps the derived signing key too).
   */
  async presignGet(
    key: string,
    options: { expiresInSeconds: number; downloadName?: string },
  ): Promise<string> {
    const template = await this.presignTemplateFor();
    const request = new HttpRequest({
      method: 'GET',
      protocol: template.protocol,
      hostname: template.hostname,
      ...(template.port === undefined ? {} : { port: template.port }),
      path: `${template.pathPrefix}/${encodeKey(key)}`,
      query: {
        ...template.query,
        ...(options.downloadName
          ? {
              'response-content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(options.downloadName)}`,
            }
          : {}),
      },
      headers: {},
    });
    const signed = await template.presigner.presign(request, {
      expiresIn: options.expiresInSeconds,
      signingRegion: template.signingRegion,
      signingService: template.signingService,
    });
    return formatUrl(signed);
  }

  private presignTemplateFor(): Promise<PresignTemplate> {
    this.presignTemplate ??= this.learnPresignTemplate().catch((error: unknown) => {
      this.presignTemplate = undefined;
      throw error;
    });
    return this.presignTemplate;
  }

  private async learnPresignTemplate(): Promise<PresignTemplate> {
    const probe = new URL(
      await getSignedUrl(
        this.client,
        new GetObjectCommand({ Bucket: this.bucket, Key: PROBE_KEY }),
        {
          expiresIn: 60,
        },
      ),
    );
    const suffix = `/${PROBE_KEY}`;
    if (!probe.pathname.endsWith(suffix)) {
      throw new Error(`Cannot learn how to presign for bucket ${this.bucket}: ${probe.pathname}`);
    }
    // X-Amz-Credential is `access-key/date/region/service/aws4_request`.
    const scope = probe.searchParams.get('X-Amz-Credential')?.split('/') ?? [];
    const [signingRegion, signingService] = [scope.at(-3), scope.at(-2)];
    if (!signingRegion || !signingService) {
      throw new Error(`Cannot learn the signing scope for bucket ${this.bucket}`);
    }
    return {
      presigner: new S3RequestPresigner({ ...this.client.config, signingName: signingService }),
      protocol: probe.protocol,
      hostname: probe.hostname,
      port: probe.port === '' ? undefined : Number(probe.port),
      pathPrefix: probe.pathname.slice(0, -suffix.length),
      signingRegion,
      signingService,
      query: Object.fromEntries(
        [...probe.searchParams].filter(([name]) => !SIGNATURE_PARAMS.has(name)),
      ),
    };
  }

  async checkBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      if (isMissing(error)) throw new Error(`bucket "${this.bucket}" does not exist`);
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 403) {
        throw new Error(`access to bucket "${this.bucket}" is denied; check the S3 keys`);
      }
      throw error;
    }
  }
}
