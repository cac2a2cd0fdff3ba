// jest setupFilesAfterEnv: after each test file, the temporary folders its tests made (temp.ts)
import { removeTempDirs } from "./temp";

afterAll(() => removeTempDirs());
