export {
  APP_ERROR_CODES,
  AppError,
  httpStatusOf,
  isAppError,
  type AppErrorCode,
} from './app-error';
export * from './describe-validation-error';
