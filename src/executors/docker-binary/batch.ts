import { batchOf } from '../../utils/batch';
import dockerBinaryExecutor from './docker-binary';

/** docker-binary for every task of a run in one process (executors.json's batchImplementation, preferred). */
export default batchOf(dockerBinaryExecutor);
