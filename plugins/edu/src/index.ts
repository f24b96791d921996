export type { EduContext, EduDb, EduExecutor, EduHttp, EduTx, ProblemDetail } from './edu-context.js';
export { createEduPaymentType, type EduPaymentType } from './edu-payment-type.js';
export { eduCourses, eduEnrollments } from './edu-schema.js';
