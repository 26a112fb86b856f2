import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { seedDemo } from '../src/modules/demo/seed.js';

// Runs the app in-process (no port), so with the embedded database stop `npm start` first:
// PGlite's files belong to one process at a time.
const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
const app = await buildApp({ config });
try {
  const demo = await seedDemo(app);
  const { institution, admin, teachers, students, password } = demo;
  console.log(`Demo institution "${institution.name}" created. Institution code: ${institution.code}\n`);
  console.log(`Admin:    username ${admin.username}, password ${admin.password} (no institution code)`);
  console.log(`Teachers: ${teachers[0]} … ${teachers.at(-1)} (${teachers.length}), password ${password}, institution code ${institution.code}`);
  console.log(`Students: ${students[0]} … ${students.at(-1)} (${students.length}), password ${password}, institution code ${institution.code}`);
  const { usernames: guardians, links } = demo.guardians;
  console.log(`Guardians: ${guardians[0]} … ${guardians.at(-1)} (${guardians.length}, of ${links} students; ${guardians[0]} has three children), password ${password}, institution code ${institution.code}`);
  if (demo.academic) {
    const { subjects, rooms, classes, lessons } = demo.academic;
    console.log(`Academic: ${subjects} subjects, ${rooms} rooms, ${classes} classes (grades 1-8) and a week of ${lessons} lessons without clashes`);
  }
  if (demo.coursework) {
    const { assignments, submissions, versions, late, graded, reassigned, files } = demo.coursework;
    console.log(`Coursework: ${assignments} assignments, ${submissions} submissions (${versions} versions, ${late} late), ${graded} graded, ${reassigned} handed back, ${files} files`);
  }
  console.log('');
  console.log('Try it:');
  console.log(
    `  curl -s -X POST http://localhost:${config.port}/api/auth/login -H 'content-type: application/json' \\\n` +
      `    -d '{"username":"${teachers[0]}","password":"${password}","institutionCode":"${institution.code}"}'`,
  );
} catch (error) {
  const message = (error as Error).message;
  if (message.includes('(409)')) {
    console.error('A demo institution already exists (username demo_admin). Sign in as demo_admin and call');
    console.error('DELETE /api/auth/delete-account to remove it before seeding again.');
  } else {
    console.error(message);
  }
  process.exitCode = 1;
} finally {
  await app.close();
}
