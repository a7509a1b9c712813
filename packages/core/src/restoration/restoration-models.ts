/**
 * Which model restores the photos of each product option. Config (`RESTORATION_MODELS`, JSON) may replace
 * the defaults; an option without an entry uses `default`.
 */
import { z } from 'zod';

export const ZRestorationModel = z.object({
  /** `owner/name` or `owner/name:version` at Replicate; any name for the local restorer. */
  model: z.string().regex(/^[\w.-]+\/[\w.-]+(:[\w]+)?$/, 'must look like owner/name[:version]'),
  /** The model's input field that takes the photo. */
  imageInputKey: z.string().min(1).default('image'),
  extraInput: z.record(z.string(), z.unknown()).default({}),
});
export type RestorationModel = z.infer<typeof ZRestorationModel>;

export const ZRestorationModels = z
  .record(z.string(), ZRestorationModel)
  .refine((models) => 'default' in models, 'needs a "default" entry');
export type RestorationModels = z.infer<typeof ZRestorationModels>;

/**
 * Defaults for Replicate: a photo-restoration model for everything, a face-restoring one for the premium
 * option. The local restorer ignores the model name but records it.
 */
export const DEFAULT_RESTORATION_MODELS: RestorationModels = {
  default: {
    model: 'flux-kontext-apps/restore-image',
    imageInputKey: 'input_image',
    extraInput: {},
  },
  premium: {
    model: 'sczhou/codeformer',
    imageInputKey: 'image',
    extraInput: { upscale: 2, face_upsample: true, codeformer_fidelity: 0.7 },
  },
};

export function restorationModelFor(models: RestorationModels, option: string): RestorationModel {
  const chosen = models[option] ?? models.default;
  if (!chosen) throw new Error('RESTORATION_MODELS has no "default" entry');
  return chosen;
}
