import type { paths } from '$lib/api/schema';

type CourseList = paths['/api/edu/courses']['get']['responses'][200]['content']['application/json'];

/** A course as the Courses page lists it. */
export type Course = CourseList['items'][number];
