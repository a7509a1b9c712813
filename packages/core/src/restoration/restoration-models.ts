/**
 * Which models restore the photos of each product option: an ordered fallback chain per option. Config
 * (`RESTORATION_MODELS`, JSON) may replace the defaults; an option without an entry uses `default`. An entry
 * may be one model (a chain of one) or a list.
 */
import { z } from 'zod';

/** What the local restorer records as its model: it runs one fixed pipeline, whatever it is asked. */
export const LOCAL_RESTORER_MODEL = 'restoreclick/local-restorer';

const MODEL_NAME = /^[\w.-]+\/[\w.-]+(:[\w]+)?$/;

export const ZRestorationModel = z
  .object({
    /**
     * Which configured provider runs it (`replicate`, `local`); the worker's main provider when omitted. A step
     * whose provider is not configured in this worker is left out of the chain.
     */
    provider: z.string().min(1).optional(),
    /** `owner/name` or `owner/name:version` at Replicate; optional for the local restorer. */
    model: z.string().regex(MODEL_NAME, 'must look like owner/name[:version]').optional(),
    /** The model's input field that takes the photo. */
    imageInputKey: z.string().min(1).default('image'),
    extraInput: z.record(z.string(), z.unknown()).default({}),
  })
  .refine((entry) => entry.model !== undefined || entry.provider === 'local', {
    message: 'needs a "model" (only the local restorer may go without one)',
    path: ['model'],
  });
export type RestorationModel = z.infer<typeof ZRestorationModel>;

export const ZRestorationModelChain = z.union([
  ZRestorationModel.transform((entry) => [entry]),
  z.array(ZRestorationModel).min(1, 'needs at least one model'),
]);

export const ZRestorationModels = z
  .record(z.string(), ZRestorationModelChain)
  .refine((models) => 'default' in models, 'needs a "default" entry');
export type RestorationModels = z.infer<typeof ZRestorationModels>;

const LOCAL_LAST_RESORT: RestorationModel = {
  provider: 'local',
  imageInputKey: 'image',
  extraInput: {},
};

/**
 * Defaults for Replicate: a photo-restoration model for everything, a face-restoring one first for the premium
 * option, and the local restorer as the last resort of both. Without Replicate the local restorer runs alone.
 */
export const DEFAULT_RESTORATION_MODELS: RestorationModels = {
  default: [
    { model: 'flux-kontext-apps/restore-image', imageInputKey: 'input_image', extraInput: {} },
    LOCAL_LAST_RESORT,
  ],
  premium: [
    {
      model: 'sczhou/codeformer',
      imageInputKey: 'image',
      extraInput: { upscale: 2, face_upsample: true, codeformer_fidelity: 0.7 },
    },
    { model: 'flux-kontext-apps/restore-image', imageInputKey: 'input_image', extraInput: {} },
    LOCAL_LAST_RESORT,
  ],
};

/** The configured chain of a product option (the `default` one when the option has none). */
export function restorationChainConfigFor(
  models: RestorationModels,
  option: string,
): RestorationModel[] {
  const chosen = models[option] ?? models.default;
  if (!chosen) throw new Error('RESTORATION_MODELS has no "default" entry');
  return chosen;
}
