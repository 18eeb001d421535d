'use client';
// A form creating a project (its name and description); the new project's page opens.
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '@/gql';
import { ErrorLine } from '@/lib/ErrorLine';

const CreateProject = graphql(`
  mutation CreateProject($name: String!, $description: String) {
    createProject(name: $name, description: $description) {
      name
    }
  }
`);

export function NewProject() {
  const router = useRouter();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [{ fetching, error }, create] = useMutation(CreateProject);
  return (
    <form
      className="inline-form"
      data-testid="new-project"
      onSubmit={async (e) => {
        e.preventDefault();
        const r = await create({ name, description });
        if (r.data) router.push(`/p/${encodeURIComponent(r.data.createProject.name)}`);
      }}
    >
      <h2>New project</h2>
      <label>
        Name <input name="name" value={name} onChange={(e) => setName(e.target.value)} required />
      </label>{' '}
      <label>
        Description{' '}
        <input name="description" value={description} onChange={(e) => setDescription(e.target.value)} />
      </label>{' '}
      <button className="primary" type="submit" disabled={fetching || !name}>
        Create project
      </button>
      <ErrorLine error={error} />
    </form>
  );
}
