import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { findCourse, listCourses } from './course-queries.js';
import { type CoursePrice, coursePrice, presentCourse, priceOf } from './course-view.js';
import type { EduContext } from './edu-context.js';
import { eduCourses, eduEnrollments } from './edu-schema.js';

const tags = ['EDU'];
const json = <S>(schema: S) => ({ 'application/json': { schema } });

/** The EDU routes the API mounts under /api/edu/, behind member auth. */
export function eduRoutes(ctx: EduContext): OpenAPIHono {
  const { db, http } = ctx;
  const { text, problem, problemResponses } = http;

  const moneySchema = z.object({
    amount: z.string().openapi({ example: '120.00' }),
    currency: z.string().length(3).openapi({ example: 'EUR' }),
  });
  const priceInput = z
    .object({
      amount: text({ max: 40 }).openapi({
        example: '120.00',
        description: "Decimal string, at most the currency's decimals",
      }),
      currency: text({ max: 3 }).openapi({ example: 'EUR' }),
    })
    .strict()
    .openapi('EduPriceInput');
  const courseSchema = z
    .object({
      id: z.uuid(),
      title: z.string(),
      description: z.string(),
      price: z.union([moneySchema, z.null()]).openapi({ description: 'null for a free course' }),
      free: z.boolean(),
      published: z.boolean().openapi({ description: 'false: a draft, never offered in the link form' }),
      createdAt: z.iso.datetime(),
    })
    .openapi('EduCourse');
  const createSchema = z
    .object({
      title: text({ min: 1, max: 200 }),
      description: text({ max: 2000, multiline: true }).default(''),
      price: priceInput
        .optional()
        .openapi({ description: 'Required for a paid course; absent for a free one' }),
      free: z.boolean(),
      published: z.boolean(),
    })
    .strict()
    .openapi('CreateEduCourse');
  const updateSchema = z
    .object({
      title: text({ min: 1, max: 200 }).optional(),
      description: text({ max: 2000, multiline: true }).optional(),
      price: priceInput.nullable().optional().openapi({ description: 'null clears it (for a free course)' }),
      free: z.boolean().optional(),
      published: z.boolean().optional(),
    })
    .strict()
    .openapi('UpdateEduCourse');
  const idParams = z.object({ id: z.uuid() });
  const contactParams = z.object({ contactId: z.uuid() });
  const enrollmentSchema = z
    .object({
      id: z.uuid(),
      course: z.object({ id: z.uuid(), title: z.string() }),
      paymentId: z.uuid(),
      grantedAt: z.iso.datetime(),
      revokedAt: z.iso.datetime().nullable().openapi({ description: 'Set when the payment was refunded' }),
    })
    .openapi('EduEnrollment');

  const notFound = () =>
    problem(404, { code: 'course_not_found', field: 'id', message: 'No such course in this workspace.' });

  const router = http.createRouter();
  router.openapi(
    createRoute({
      method: 'get',
      path: '/courses',
      operationId: 'listCourses',
      tags,
      summary: "The workspace's courses, newest first",
      responses: {
        200: { description: 'All courses', content: json(z.object({ items: z.array(courseSchema) })) },
        ...problemResponses(401),
      },
    }),
    async (c) => {
      const rows = await listCourses(db, ctx.workspaceId(c));
      return c.json({ items: rows.map(presentCourse) }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/courses',
      operationId: 'createCourse',
      tags,
      summary: 'Create a course',
      request: { body: { required: true, content: json(createSchema) } },
      responses: {
        201: { description: 'Created', content: json(courseSchema) },
        ...problemResponses(401, 422),
      },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const price = coursePrice(input.free, input.price);
      if (!price.ok) throw problem(422, price);
      const [row] = await db
        .insert(eduCourses)
        .values({
          workspaceId: ctx.workspaceId(c),
          title: input.title,
          description: input.description,
          priceMinor: price.price?.minor ?? null,
          currency: price.price?.currency ?? null,
          isFree: input.free,
          isPublished: input.published,
        })
        .returning();
      return c.json(presentCourse(row!), 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/courses/{id}',
      operationId: 'getCourse',
      tags,
      summary: 'A course',
      request: { params: idParams },
      responses: {
        200: { description: 'The course', content: json(courseSchema) },
        ...problemResponses(401, 404, 422),
      },
    }),
    async (c) => {
      const course = await findCourse(db, ctx.workspaceId(c), c.req.valid('param').id);
      if (!course) throw notFound();
      return c.json(presentCourse(course), 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'patch',
      path: '/courses/{id}',
      operationId: 'updateCourse',
      tags,
      summary: 'Change some fields of a course; turning it free clears the price',
      request: { params: idParams, body: { required: true, content: json(updateSchema) } },
      responses: {
        200: { description: 'The changed course', content: json(courseSchema) },
        ...problemResponses(401, 404, 422),
      },
    }),
    async (c) => {
      const workspaceId = ctx.workspaceId(c);
      const { id } = c.req.valid('param');
      const input = c.req.valid('json');
      const course = await findCourse(db, workspaceId, id);
      if (!course) throw notFound();
      const free = input.free ?? course.isFree;
      // A price left out keeps the current one; a course turning free drops it.
      const kept = priceOf(course);
      let price: CoursePrice;
      if (input.price === undefined && !free && kept) price = kept;
      else {
        const checked = coursePrice(free, input.price ?? undefined);
        if (!checked.ok) throw problem(422, checked);
        price = checked.price;
      }
      const [row] = await db
        .update(eduCourses)
        .set({
          ...(input.title === undefined ? {} : { title: input.title }),
          ...(input.description === undefined ? {} : { description: input.description }),
          ...(input.published === undefined ? {} : { isPublished: input.published }),
          isFree: free,
          priceMinor: price?.minor ?? null,
          currency: price?.currency ?? null,
          updatedAt: new Date(),
        })
        .where(and(eq(eduCourses.workspaceId, workspaceId), eq(eduCourses.id, id)))
        .returning();
      if (!row) throw notFound();
      return c.json(presentCourse(row), 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'delete',
      path: '/courses/{id}',
      operationId: 'deleteCourse',
      tags,
      summary: 'Delete a course no payment link uses',
      request: { params: idParams },
      responses: {
        204: { description: 'Deleted' },
        ...problemResponses(401, 404, 409, 422),
      },
    }),
    async (c) => {
      const workspaceId = ctx.workspaceId(c);
      const { id } = c.req.valid('param');
      const course = await findCourse(db, workspaceId, id);
      if (!course) throw notFound();
      if (await ctx.optionInUse(workspaceId, id)) {
        throw problem(409, {
          code: 'course_in_use',
          field: 'id',
          message: 'A payment link uses this course; unpublish it instead.',
        });
      }
      const deleted = await db
        .delete(eduCourses)
        .where(and(eq(eduCourses.workspaceId, workspaceId), eq(eduCourses.id, id)))
        .returning({ id: eduCourses.id });
      if (deleted.length === 0) throw notFound();
      return c.body(null, 204);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/contacts/{contactId}/enrollments',
      operationId: 'listContactEnrollments',
      tags,
      summary: "A contact's course enrollments, newest first (revoked ones too)",
      request: { params: contactParams },
      responses: {
        200: { description: 'Enrollments', content: json(z.object({ items: z.array(enrollmentSchema) })) },
        ...problemResponses(401, 404, 422),
      },
    }),
    async (c) => {
      const workspaceId = ctx.workspaceId(c);
      const { contactId } = c.req.valid('param');
      if (!(await ctx.contactExists(workspaceId, contactId))) {
        throw problem(404, { code: 'not_found', field: 'contactId', message: 'No such contact.' });
      }
      const rows = await db
        .select({
          id: eduEnrollments.id,
          courseId: eduCourses.id,
          title: eduCourses.title,
          paymentId: eduEnrollments.paymentId,
          grantedAt: eduEnrollments.grantedAt,
          revokedAt: eduEnrollments.revokedAt,
        })
        .from(eduEnrollments)
        .innerJoin(
          eduCourses,
          and(
            eq(eduCourses.workspaceId, eduEnrollments.workspaceId),
            eq(eduCourses.id, eduEnrollments.courseId),
          ),
        )
        .where(and(eq(eduEnrollments.workspaceId, workspaceId), eq(eduEnrollments.contactId, contactId)))
        .orderBy(eduEnrollments.grantedAt);
      return c.json(
        {
          items: rows.reverse().map((row) => ({
            id: row.id,
            course: { id: row.courseId, title: row.title },
            paymentId: row.paymentId,
            grantedAt: row.grantedAt.toISOString(),
            revokedAt: row.revokedAt?.toISOString() ?? null,
          })),
        },
        200,
      );
    },
  );
  return router;
}
